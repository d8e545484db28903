package io.lockstep.database

import com.fasterxml.jackson.databind.ObjectMapper
import io.lockstep.engine.journal.FileJournalStore
import io.lockstep.engine.spi.JournalRecord
import io.lockstep.engine.spi.RecordType
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.NoSuchFileException
import java.nio.file.Path
import java.time.Instant
import java.util.concurrent.TimeUnit

/**
 * The backup's durability against the testbed's PostgreSQL, with the engine in a child JVM: a dump
 * bigger than 1 GiB streams through a 64 MiB heap, and a JVM killed with SIGKILL in the middle of a
 * dump resumes to a whole dump, never to the partial file the killed attempt left.
 */
class DatabaseDurabilitySpec extends Specification {

    static final long GIB = 1024L * 1024 * 1024

    /** Rows of about 970 bytes of SQL each: an id and 30 times the md5 of the id. */
    static final String FILL = '''
        CREATE UNLOGGED TABLE big (id bigint PRIMARY KEY, payload text NOT NULL);
        INSERT INTO big SELECT g, repeat(md5(g::text), 30) FROM generate_series(1, %d) g;
        '''

    /** Row count and a digest of every row in id order. */
    static final String CHECKSUM = "SELECT count(*) || ' ' || md5(string_agg(id || ':' || md5(payload), ',' ORDER BY id)) FROM big"

    @TempDir
    Path dir

    DatabaseTestbed.Server pg = DatabaseTestbed.postgres()
    List<String> databases = []

    def cleanup() {
        databases.each { pg.dropDatabase(it) }
    }

    Path store() { dir.resolve('store') }

    def "a dump of more than 1 GiB is taken and restored by an engine whose heap is capped at 64 MiB"() {
        given: 'a database whose plain SQL dump is over 1 GiB, filled server-side'
        String source = database('big', 1_200_000)
        String target = database('bigcopy', 0)
        String expected = pg.sql(source, CHECKSUM).trim()
        long databaseSize = pg.sql(source, 'SELECT pg_database_size(current_database())').trim() as long

        when:
        long started = System.nanoTime()
        def child = child('run', '-', source, target, '-Xmx64m').waitFor(300)
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started)
        println "1 GiB backup and restore under -Xmx64m: ${seconds} s; database ${databaseSize} bytes"

        then: 'the child ran with the small heap and the run succeeded'
        child.exit == 0
        child.heap <= 64L * 1024 * 1024
        child.status == 'SUCCEEDED'
        databaseSize >= GIB

        and: 'the dump is over 1 GiB and its recorded sha256 is the one sha256sum computes'
        String runId = child.runId
        Map backup = finishedOutputs(runId, 'backup/db')
        Path dump = artifacts(runId).resolve(backup.artifact as String)
        (backup.sizeBytes as long) >= GIB
        Files.size(dump) == (backup.sizeBytes as long)
        sha256sum(dump) == backup.sha256
        manifest(dump).sha256 == backup.sha256

        and: 'the restore read that dump and the copy holds the same rows'
        Map restore = finishedOutputs(runId, 'restore/db')
        restore.sha256 == backup.sha256
        (restore.sizeBytes as long) == (backup.sizeBytes as long)
        pg.sql(target, CHECKSUM).trim() == expected
        expected.startsWith('1200000 ')
    }

    def "a JVM killed while it dumps resumes with a new whole dump and never uses the partial file"() {
        given: 'a database whose dump takes a few seconds, and an empty one to restore into'
        String source = database('kill', 500_000)
        String target = database('killcopy', 0)
        String expected = pg.sql(source, CHECKSUM).trim()

        when: 'the engine is killed with SIGKILL while the partial dump grows'
        def running = child('run', '-', source, target)
        Path partial = null
        Instant killedAt = null
        List<ProcessHandle> dumps = []
        long seen = -1
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120)
        while (System.nanoTime() < deadline && running.process.alive) {
            partial = partial ?: find(store(), '.sql.partial')
            long size = partial != null && Files.exists(partial) ? Files.size(partial) : -1
            if (size >= 8 * 1024 * 1024 && seen >= 0 && size > seen) {
                dumps = dumpsOf(source)
                running.process.destroyForcibly()
                killedAt = Instant.now()
                break
            }
            seen = Math.max(seen, size)
            Thread.sleep(5)
        }
        def killed = running.waitFor(60)
        String runId = onlyRun()
        Path home = artifacts(runId)
        long partialSize = Files.size(partial)
        Path whole = partial.resolveSibling(partial.fileName.toString() - '.partial')
        println "killed at ${partialSize} bytes of ${partial.fileName}"

        then: 'it died mid-dump: the partial file is left, there is no dump and no manifest, the step is in doubt'
        killedAt != null
        killed.exit == 137
        killed.status == null
        partialSize >= 8 * 1024 * 1024
        !Files.exists(whole)
        !Files.exists(partial.resolveSibling(BackupManifest.FILE_NAME))
        records(runId).findAll { it.stepId() }.collect { "${it.type()} ${it.stepId()}".toString() } == ['STEP_STARTED backup/db']

        and: "the killed engine's pg_dump ends on its own: the pipe it wrote to is gone"
        !dumps.empty
        endsWithin(dumps, 10)

        when: 'the run is resumed in a new JVM from the same journal'
        def resumed = child('resume', runId, source, target).waitFor(300)

        then: 'the backup step ran again, because it is idempotent, and the run finished'
        resumed.exit == 0
        resumed.status == 'SUCCEEDED'
        trace(runId) == [
                'STEP_STARTED backup/db',
                'STEP_DECIDED backup/db rerun-idempotent', 'STEP_STARTED backup/db', 'STEP_FINISHED backup/db',
                'STEP_STARTED restore/db', 'STEP_FINISHED restore/db']

        and: 'the partial file is gone, the dump is a new whole one, and nothing names a partial file'
        Map backup = finishedOutputs(runId, 'backup/db')
        home.resolve(backup.artifact as String) == whole
        !Files.exists(partial)
        find(home, '.partial') == null
        (backup.sizeBytes as long) > partialSize
        Instant.parse(backup.createdAt as String) > killedAt
        Files.size(whole) == (backup.sizeBytes as long)
        sha256sum(whole) == backup.sha256
        tail(whole).contains('-- PostgreSQL database dump complete')
        manifest(whole).sha256 == backup.sha256
        manifest(whole).file == whole.fileName.toString()
        records(runId).every { !it.data().toString().contains('.partial') }

        and: 'the restore verified and used that dump: the copy holds the same rows'
        Map restore = finishedOutputs(runId, 'restore/db')
        restore.artifact == backup.artifact
        restore.sha256 == backup.sha256
        pg.sql(target, CHECKSUM).trim() == expected
        expected.startsWith('500000 ')
    }

    // --- helpers -------------------------------------------------------------------------------

    /** A new scratch database with {@code rows} rows in table big (none: an empty database). */
    private String database(String purpose, int rows) {
        String name = pg.createDatabase(purpose)
        databases << name
        if (rows > 0) {
            pg.sql(name, String.format(FILL, rows))
        }
        name
    }

    /** Starts {@link DurabilityChild} in a new JVM with the given JVM options. */
    private Child child(String command, String runId, String source, String target, String... jvm) {
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty('java.home'), 'bin', 'java').toString())
        List<String> cmd = [java] + jvm.toList() + ['-cp', System.getProperty('java.class.path'), DurabilityChild.name,
                store().toString(), command, runId, pg.host, "${pg.port}".toString(), pg.user, source, target]
        ProcessBuilder builder = new ProcessBuilder(cmd).redirectErrorStream(true)
        builder.environment().put('DURABILITY_DB_PASSWORD', pg.password)
        new Child(builder.start())
    }

    static class Child {
        final Process process
        final StringBuffer output = new StringBuffer()
        final Thread reader
        int exit
        long heap
        String runId
        String status

        Child(Process process) {
            this.process = process
            this.reader = Thread.start { process.inputStream.eachLine { output.append(it).append('\n') } }
        }

        Child waitFor(int seconds) {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                process.destroyForcibly()
                throw new AssertionError("the child did not end within ${seconds} s:\n${output}")
            }
            reader.join()
            exit = process.exitValue()
            List<String> lines = output.readLines()
            heap = (lines.find { it.startsWith('HEAP ') }?.substring(5) ?: '-1') as long
            List<String> result = lines.find { it.startsWith('RESULT ') }?.split(' ')?.toList()
            runId = result?.get(1)
            status = result?.get(2)
            if (status != 'SUCCEEDED' && exit != 137) {
                println output
            }
            this
        }
    }

    private String onlyRun() {
        def runs = new FileJournalStore(store()).runs()
        assert runs.size() == 1
        runs[0].runId()
    }

    private Path artifacts(String runId) {
        new FileJournalStore(store()).open(runId).withCloseable { it.artifactsDir() }
    }

    private List<JournalRecord> records(String runId) {
        new FileJournalStore(store()).open(runId).withCloseable { it.records() }
    }

    private List<String> trace(String runId) {
        records(runId).findAll { it.stepId() }.collect {
            "${it.type()} ${it.stepId()}${it.type() == RecordType.STEP_DECIDED ? ' ' + it.data().decision : ''}".toString()
        }
    }

    private Map finishedOutputs(String runId, String stepId) {
        List<JournalRecord> finished = records(runId).findAll { it.type() == RecordType.STEP_FINISHED && it.stepId() == stepId }
        assert finished.size() == 1
        finished[0].data().outputs as Map
    }

    private static Map manifest(Path dump) {
        new ObjectMapper().readValue(dump.resolveSibling(BackupManifest.FILE_NAME).toFile(), Map)
    }

    /** The first file under {@code root} whose name ends with {@code suffix}, or null. */
    private static Path find(Path root, String suffix) {
        if (!Files.isDirectory(root)) {
            return null
        }
        try {
            Files.walk(root).withCloseable { paths -> paths.filter { it.fileName.toString().endsWith(suffix) }.findFirst().orElse(null) }
        } catch (UncheckedIOException | NoSuchFileException ignored) {
            null // a directory went away while walking: look again on the next poll
        }
    }

    /** The pg_dump processes that dump the database. */
    private static List<ProcessHandle> dumpsOf(String database) {
        ProcessHandle.allProcesses().filter { p ->
            p.info().command().orElse('').endsWith('pg_dump') && p.info().arguments().orElse(new String[0]).any { it.contains(database) }
        }.toList()
    }

    /** Whether every process ends within the time. */
    private static boolean endsWithin(List<ProcessHandle> processes, int seconds) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds)
        while (processes.any { it.alive } && System.nanoTime() < deadline) {
            Thread.sleep(50)
        }
        processes.every { !it.alive }
    }

    /** The SHA-256 the coreutils tool computes, independently of the engine's digest. */
    private static String sha256sum(Path file) {
        Process process = new ProcessBuilder('sha256sum', file.toString()).redirectErrorStream(true).start()
        String out = process.inputStream.text
        assert process.waitFor() == 0: out
        out.split(/\s+/)[0]
    }

    /** The last 4 KiB of a file, as text. */
    private static String tail(Path file) {
        new RandomAccessFile(file.toFile(), 'r').withCloseable { raf ->
            long start = Math.max(0, raf.length() - 4096)
            byte[] bytes = new byte[(int) (raf.length() - start)]
            raf.seek(start)
            raf.readFully(bytes)
            new String(bytes, 'UTF-8')
        }
    }
}
