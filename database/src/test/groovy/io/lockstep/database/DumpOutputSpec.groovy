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
        given: 'a small stride, so 3 MB of uneven writes ask for many flushes'
        Path file = dir.resolve('db.sql.partial')
        DumpOutput out = DumpOutput.create(file, 64 * 1024)
        Random random = new Random(42)
        MessageDigest expected = MessageDigest.getInstance('SHA-256')
        long written = 0

        when:
        while (written < 3 * 1024 * 1024) {
            byte[] chunk = new byte[1 + random.nextInt(70_000)]
            random.nextBytes(chunk)
            int offset = random.nextInt(chunk.length)
            out.write(chunk, offset, chunk.length - offset)
            expected.update(chunk, offset, chunk.length - offset)
            written += chunk.length - offset
            Thread.sleep(0, 1) // lets the flushing thread run between writes on a busy machine
        }
        out.sync()
        out.close()
        String sha256 = out.sha256()
        FileDigest onDisk = FileDigest.of(file)

        then:
        out.flushes() > 0
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

        when:
        100.times { out.write(chunk, 0, chunk.length) }
        out.close()

        then:
        Files.size(file) == 100 * 4096
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
        long deadline = System.currentTimeMillis() + 10_000
        while (System.currentTimeMillis() < deadline) {
            if (!Thread.allStackTraces.keySet().any { it.name == 'lockstep-database-write-behind' && it.alive }) {
                return true
            }
            Thread.sleep(20)
        }
        return false
    }
}
