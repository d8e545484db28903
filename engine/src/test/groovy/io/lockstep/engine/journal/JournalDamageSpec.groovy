package io.lockstep.engine.journal

import io.lockstep.engine.spi.JournalCorruptedException
import io.lockstep.engine.spi.RecordType
import spock.lang.Specification
import spock.lang.TempDir
import spock.lang.Unroll

import java.nio.file.Path

import static io.lockstep.engine.journal.JournalFixture.header
import static io.lockstep.engine.journal.JournalFixture.journalFile

/** What a crash or a damaged disk leaves behind, and how reading copes with it. */
class JournalDamageSpec extends Specification {

  @TempDir
  Path root

  FileJournalStore store
  File file

  def setup() {
    store = new FileJournalStore(root)
    def journal = store.create(header('run-1'))
    (1..3).each { journal.append(RecordType.STEP_FINISHED, "step-$it", [outputs: [n: it]]) }
    journal.close()
    file = journalFile(root.toFile(), 'run-1')
  }

  @Unroll
  def "a torn last line (#tear) is ignored, then cut off so the next append reads back"() {
    given:
    def intact = file.bytes
    file.bytes = concat(intact, tornLine(intact))

    when:
    def journal = store.open('run-1')

    then:
    journal.records()*.seq == [1L, 2L, 3L, 4L]
    file.bytes.length > intact.length

    when:
    def next = journal.append(RecordType.STEP_STARTED, 'step-5', [attempt: 1])
    journal.close()

    then:
    next.seq() == 5
    store.open('run-1').records()*.stepId == [null, 'step-1', 'step-2', 'step-3', 'step-5']
    file.text.readLines().size() == 5

    where:
    tear                              | tornLine
    'half a record'                   | { byte[] ok -> lastLine(ok)[0..<30] as byte[] }
    'a whole record without newline'  | { byte[] ok -> lastLine(ok)[0..-2] as byte[] }
    'zeros from an unwritten block'   | { byte[] ok -> new byte[512] }
    'a valid-looking but bad record'  | { byte[] ok -> flipInRecord(lastLine(ok)) }
  }

  def "reading a run with a torn tail does not change the file"() {
    given:
    file.bytes = concat(file.bytes, '{"c":"0000'.bytes)
    def damaged = file.bytes

    when:
    def records = store.open('run-1').records()

    then:
    records.size() == 4
    file.bytes == damaged
  }

  def "a damaged record followed by valid ones is corruption, named by file and line"() {
    given:
    def lines = file.readLines()
    lines[1] = lines[1].replace('"step-1"', '"step-X"')
    file.text = lines.join('\n') + '\n'

    when:
    store.open('run-1')

    then:
    def e = thrown(JournalCorruptedException)
    e.message.startsWith("${file.path}:2: journal record is corrupted (checksum mismatch")
  }

  def "a single flipped bit inside a record is caught by the checksum"() {
    given:
    byte[] bytes = file.bytes
    int lineTwo = file.text.indexOf('\n') + 1
    int target = lineTwo + file.readLines()[1].indexOf('"outputs"') + 3
    bytes[target] = (byte) (bytes[target] ^ 0x01)
    file.bytes = bytes

    when:
    store.open('run-1')

    then:
    def e = thrown(JournalCorruptedException)
    e.message.startsWith("${file.path}:2:")
    e.message.contains('checksum mismatch')
  }

  def "a line that is not a journal line in the middle is corruption"() {
    given:
    def lines = file.readLines()
    lines.add(2, 'garbage')
    file.text = lines.join('\n') + '\n'

    when:
    store.open('run-1')

    then:
    def e = thrown(JournalCorruptedException)
    e.message == "${file.path}:3: journal record is corrupted (not a journal line)"
  }

  def "a missing record (a gap in seq) is corruption"() {
    given:
    def lines = file.readLines()
    lines.remove(2)
    file.text = lines.join('\n') + '\n'

    when:
    store.open('run-1')

    then:
    def e = thrown(JournalCorruptedException)
    e.message == "${file.path}:3: journal record is corrupted (seq 4 where 3 belongs)"
  }

  private static byte[] concat(byte[] a, byte[] b) {
    def out = new ByteArrayOutputStream()
    out.write(a)
    out.write(b)
    out.toByteArray()
  }

  private static byte[] lastLine(byte[] bytes) {
    String text = new String(bytes, 'UTF-8')
    String last = text.readLines().last()
    (last + '\n').getBytes('UTF-8')
  }

  /** The same record with one character changed: complete, newline-terminated, wrong checksum. */
  private static byte[] flipInRecord(byte[] line) {
    new String(line, 'UTF-8').replace('"step-3"', '"step-4"').getBytes('UTF-8')
  }
}
