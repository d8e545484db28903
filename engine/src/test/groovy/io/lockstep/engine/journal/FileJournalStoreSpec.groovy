package io.lockstep.engine.journal

import com.fasterxml.jackson.databind.ObjectMapper
import io.lockstep.engine.LockstepException
import io.lockstep.engine.spi.RecordType
import io.lockstep.engine.spi.RunHeader
import io.lockstep.engine.spi.UnknownRunException
import spock.lang.Specification
import spock.lang.TempDir
import spock.lang.Unroll

import java.nio.file.Files
import java.nio.file.Path
import java.util.zip.CRC32C

import static io.lockstep.engine.journal.JournalFixture.header
import static io.lockstep.engine.journal.JournalFixture.journalFile

class FileJournalStoreSpec extends Specification {

  @TempDir
  Path root

  FileJournalStore store

  def setup() {
    store = new FileJournalStore(root)
  }

  def "records read back exactly as they were appended, with JSON's natural types"() {
    given:
    def journal = store.create(header('run-1'))

    when:
    def started = journal.append(RecordType.STEP_STARTED, 'upgrade/pull', [attempt: 1])
    def finished = journal.append(RecordType.STEP_FINISHED, 'upgrade/pull', [
        outputs: [previousImage: 'tyk:5.3', layers: [1, 2, 3], big: 5_000_000_000L, ok: true, none: null],
        durationMs: 12])
    journal.close()
    def reopened = store.open('run-1')

    then:
    reopened.records().tail() == [started, finished]
    reopened.records()*.seq == [1L, 2L, 3L]
    reopened.records()[0].type() == RecordType.RUN_STARTED
    reopened.records()[0].stepId() == null
    reopened.records()[0].data() == header('run-1').toData()
    with(reopened.records()[2].data()) {
      outputs.previousImage == 'tyk:5.3'
      outputs.layers == [1, 2, 3]
      outputs.layers[0] instanceof Integer
      outputs.big instanceof Long
      outputs.containsKey('none')
      outputs instanceof LinkedHashMap
      outputs.layers instanceof ArrayList
    }
  }

  def "append returns the record as any later read will see it, JSON types included"() {
    given:
    def journal = store.create(header('run-1'))

    when:
    def appended = journal.append(RecordType.STEP_FINISHED, 'backup', [outputs: [count: 3L, size: 7 as short]])

    then:
    appended.data().outputs.count instanceof Integer
    appended.data().outputs.size instanceof Integer
    journal.records().last() == appended
    store.open('run-1').records().last() == appended
  }

  @Unroll
  def "a run id that is not a plain file name (#runId) is refused before anything is written"() {
    when:
    store.create(header(runId))

    then:
    def e = thrown(IllegalArgumentException)
    e.message.endsWith(": $runId")
    root.toFile().list() as List == []

    where:
    runId << ['../x', 'a/b', '.x', '', 'tab\there']
  }

  def "a header that cannot be journaled leaves no run behind"() {
    given:
    def bad = new RunHeader('run-1', 'portal', 'prod', null, null, '', [when: new Object()],
        java.time.Instant.parse('2026-11-24T04:00:00Z'), 'ops')

    when:
    store.create(bad)

    then:
    thrown(IllegalArgumentException)
    !Files.exists(root.resolve('runs/run-1'))
    store.runs() == []
  }

  def "each line is JSON with a CRC32C over the record bytes exactly as written"() {
    given:
    def journal = store.create(header('run-1'))

    when:
    journal.append(RecordType.STEP_STARTED, 'upgrade/pull', [attempt: 1])
    journal.close()
    def text = journalFile(root.toFile(), 'run-1').getText('UTF-8')
    def last = text.readLines()[1]
    def raw = last.substring('{"c":"12345678","r":'.length(), last.length() - 1)
    def crc = new CRC32C()
    crc.update(raw.getBytes('UTF-8'))

    then:
    text.endsWith('\n')
    last ==~ /\{"c":"[0-9a-f]{8}","r":\{"seq":2,"at":"[0-9T:.-]+Z","type":"STEP_STARTED","step":"upgrade\/pull","data":\{"attempt":1\}\}\}/
    last.substring(6, 14) == String.format('%08x', crc.value)
    new ObjectMapper().readValue(last, Map).r.data == [attempt: 1]
  }

  def "seq numbers start at 1 and continue without gaps across reopening"() {
    given:
    def first = store.create(header('run-1'))
    3.times { first.append(RecordType.STEP_STARTED, "s$it", [:]) }
    first.close()

    when:
    def second = store.open('run-1')
    def appended = (1..3).collect { second.append(RecordType.STEP_FINISHED, "s$it", [:]) }

    then:
    appended*.seq == [5L, 6L, 7L]
    store.open('run-1').records()*.seq == (1L..7L).toList()
  }

  def "data that is not a JSON value is refused without using up a seq number"() {
    given:
    def journal = store.create(header('run-1'))

    when:
    journal.append(RecordType.STEP_FINISHED, 'backup', [outputs: [path: Path.of('/srv/backups/portal.dump')]])

    then:
    def e = thrown(IllegalArgumentException)
    e.message.contains('data.outputs.path')
    e.message.contains('only strings, numbers, booleans, null, lists and maps')

    when:
    def next = journal.append(RecordType.STEP_FINISHED, 'backup', [outputs: [path: '/srv/backups/portal.dump']])

    then:
    next.seq() == 2
  }

  def "creating a run that exists fails and leaves it untouched"() {
    given:
    store.create(header('run-1')).close()
    def before = journalFile(root.toFile(), 'run-1').bytes

    when:
    store.create(header('run-1'))

    then:
    def e = thrown(LockstepException)
    e.message.startsWith('run run-1 already exists')
    journalFile(root.toFile(), 'run-1').bytes == before
  }

  @Unroll
  def "opening #description is an unknown run"() {
    when:
    store.open(runId)

    then:
    def e = thrown(UnknownRunException)
    e.message == "no run with id $runId"

    where:
    description                 | runId
    'a run that does not exist' | 'nope'
    'a path outside the store'  | '../etc'
    'a hidden name'             | '.hidden'
  }

  def "the artifacts directory is created on demand inside the run's directory"() {
    given:
    def journal = store.create(header('run-1'))

    expect:
    !Files.exists(root.resolve('runs/run-1/artifacts'))

    when:
    def dir = journal.artifactsDir()

    then:
    dir == root.resolve('runs/run-1/artifacts')
    Files.isDirectory(dir)
  }

  def "runs are listed newest first from each run's first record"() {
    given:
    store.create(header('run-b', '2026-11-24T05:00:00Z')).close()
    store.create(header('run-a', '2026-11-24T04:00:00Z')).close()
    store.create(header('run-c', '2026-11-25T04:00:00Z')).close()

    expect:
    store.runs()*.runId() == ['run-c', 'run-b', 'run-a']
    store.runs()[0] == header('run-c', '2026-11-25T04:00:00Z')
  }

  def "a header longer than one read is listed whole, whatever follows it"() {
    given:
    def longHeader = new RunHeader('run-long', 'portal', 'prod', null, null, 'f', [notes: 'x' * 20_000],
        java.time.Instant.parse('2026-11-24T04:00:00Z'), 'ops')
    def journal = store.create(longHeader)
    journal.append(RecordType.RUN_STATUS, null, [status: 'RUNNING', message: 'y' * 20_000])
    journal.close()

    expect:
    store.runs() == [longHeader]
  }

  def "a run whose first record is empty or torn is left out of the listing"() {
    given:
    store.create(header('run-a')).close()
    Files.createDirectories(root.resolve('runs/run-empty'))
    Files.write(root.resolve('runs/run-empty/journal.jsonl'), new byte[0])
    Files.createDirectories(root.resolve('runs/run-torn'))
    def line = journalFile(root.toFile(), 'run-a').readLines()[0]
    Files.writeString(root.resolve('runs/run-torn/journal.jsonl'), line.substring(0, 40))

    expect:
    store.runs()*.runId() == ['run-a']
  }

  def "an empty store has no runs"() {
    expect:
    store.runs() == []
  }
}
