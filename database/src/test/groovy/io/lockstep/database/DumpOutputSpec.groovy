package io.lockstep.database

import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path
import java.security.MessageDigest

/** The file a dump streams into, with its write-behind flushes; needs no server. */
class DumpOutputSpec extends Specification {

    @TempDir
    Path dir

    def "write-behind flushes while the dump streams and changes no byte: the file, its SHA-256 and size are what was written"() {
        given: 'a small stride, so 3 batches and a part of uneven writes ask for several flushes'
        Path file = dir.resolve('db.sql.partial')
        DumpOutput out = DumpOutput.create(file, 64 * 1024)
        Random random = new Random(42)
        MessageDigest expected = MessageDigest.getInstance('SHA-256')
        long written = 0

        when:
        while (written < 3 * DumpOutput.BATCH_BYTES + 12345) {
            byte[] chunk = new byte[1 + random.nextInt(70_000)]
            random.nextBytes(chunk)
            int offset = random.nextInt(chunk.length)
            out.write(chunk, offset, chunk.length - offset)
            expected.update(chunk, offset, chunk.length - offset)
            written += chunk.length - offset
        }
        boolean flushedWhileStreaming = eventually { out.flushes() > 0 }
        out.sync()
        out.close()
        String sha256 = out.sha256()
        FileDigest onDisk = FileDigest.of(file)

        then:
        flushedWhileStreaming
        out.size() == written
        onDisk.size() == written
        sha256 == HexFormat.of().formatHex(expected.digest())
        onDisk.sha256() == sha256
        noWriteBehindThreadLeft()
    }

    def "a dump given up without sync closes its file and leaves no flushing thread behind"() {
        given:
        Path file = dir.resolve('db.sql.partial')
        DumpOutput out = DumpOutput.create(file, 1024)
        byte[] chunk = new byte[4096]

        when: 'more than one batch, then the close of a dump that failed'
        (DumpOutput.BATCH_BYTES / 4096 * 3 + 7).times { out.write(chunk, 0, chunk.length) }
        boolean flushed = eventually { out.flushes() > 0 }
        out.close()

        then: 'the whole batches reached the file, the last one was dropped with the dump'
        flushed
        Files.size(file) == 3L * DumpOutput.BATCH_BYTES
        noWriteBehindThreadLeft()

        when: 'a write after the close, as by a pump still draining the tool'
        out.write(chunk, 0, chunk.length)

        then:
        thrown(IOException)
    }

    def "an existing file is never appended to"() {
        given:
        Path file = Files.writeString(dir.resolve('db.sql.partial'), 'half a dump')

        when:
        DumpOutput.create(file)

        then:
        thrown(java.nio.file.FileAlreadyExistsException)
        Files.readString(file) == 'half a dump'
    }

    private static boolean noWriteBehindThreadLeft() {
        eventually { !Thread.allStackTraces.keySet().any { it.name == 'lockstep-database-write-behind' && it.alive } }
    }

    /** Whether the condition holds within 10 seconds: the flushing thread runs when it is scheduled. */
    private static boolean eventually(Closure<Boolean> condition) {
        long deadline = System.currentTimeMillis() + 10_000
        while (System.currentTimeMillis() < deadline) {
            if (condition()) {
                return true
            }
            Thread.sleep(20)
        }
        return false
    }
}
