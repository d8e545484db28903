package io.lockstep.database

import io.lockstep.testing.TestStepContext
import io.lockstep.engine.model.SecretRef
import io.lockstep.engine.model.Step
import io.lockstep.steps.StepFailedException
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.attribute.PosixFilePermissions
import java.util.concurrent.CancellationException

/**
 * What goes wrong, against the real servers: a damaged or foreign dump, a missing tool, a server
 * that is not there, a dump cut short or cancelled, a restore that fails half way. Each fails with
 * one clear line and leaves the database and the artifacts as they should be.
 */
class DatabaseErrorsSpec extends Specification {

    static final String SCHEMA = "CREATE TABLE pages (id int PRIMARY KEY, title text); INSERT INTO pages VALUES (1, 'home'), (2, 'docs');"
    static final String MIGRATION = 'ALTER TABLE pages ADD COLUMN slug text; CREATE TABLE menus (id int); DELETE FROM pages WHERE id = 2;'

    @Shared
    DatabaseTestbed.Server pg = DatabaseTestbed.postgres()

    @Shared
    DatabaseTestbed.Server my = DatabaseTestbed.mariadb()

    @TempDir
    Path dir

    Map<String, DatabaseTestbed.Server> databases = [:]
    TestStepContext ctx

    def setup() {
        ctx = new TestStepContext(dir)
        ctx.secrets.dbPassword = pg.password
    }

    def cleanup() {
        databases.each { name, server -> server.dropDatabase(name) }
    }

    private String create(DatabaseTestbed.Server server, String purpose) {
        String name = server.createDatabase(purpose)
        databases[name] = server
        server.sql(name, SCHEMA)
        name
    }

    private static Step backupStep(DatabaseTestbed.Server server, String database, Map extra = [:]) {
        DatabaseTestbed.step('backupDatabase', 'backup/db', [engine: server.engine, host: server.host, port: server.port,
                database: database, user: server.user, password: new SecretRef('dbPassword')] + extra).build()
    }

    private Map backup(DatabaseTestbed.Server server, String database, Map extra = [:]) {
        ctx.stepId = 'backup/db'
        Map outputs = backupStep(server, database, extra).action().execute(ctx)
        ctx.finished['backup/db'] = outputs
        outputs
    }

    private Map restore(Map args) {
        ctx.stepId = 'rollback/db'
        DatabaseTestbed.step('restoreDatabase', 'rollback/db', [from: 'backup/db'] + args).build().action().execute(ctx)
    }

    private Path script(String name, String body) {
        Path file = dir.resolve(name)
        Files.writeString(file, "#!/bin/sh\n" + body)
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString('rwx------'))
        file
    }

    def "a dump with one byte changed is refused before the database is touched"() {
        given:
        String database = create(pg, 'bad')
        Map outputs = backup(pg, database)
        pg.sql(database, MIGRATION)
        String migrated = pg.snapshot(database)
        Path dump = ctx.artifactsDir.resolve(outputs.artifact)
        byte[] bytes = Files.readAllBytes(dump)
        bytes[bytes.length.intdiv(2)] ^= 0x20
        Files.write(dump, bytes)

        when:
        restore([:])

        then:
        StepFailedException e = thrown()
        e.message ==~ /refusing to restore database '${database}': the dump \S+ does not match what step 'backup\/db' recorded \(expected sha256 ${outputs.sha256} and ${outputs.sizeBytes} bytes, found sha256 [0-9a-f]{64} and ${outputs.sizeBytes} bytes\); the database was not changed/
        pg.snapshot(database) == migrated
    }

    def "a dump whose manifest disagrees with the journal is refused"() {
        given:
        String database = create(pg, 'manifest')
        Map outputs = backup(pg, database)
        Path manifest = ctx.artifactsDir.resolve(outputs.artifact).resolveSibling('backup.json')
        Files.writeString(manifest, Files.readString(manifest).replace(outputs.sha256, 'f' * 64))

        when:
        restore([:])

        then:
        StepFailedException e = thrown()
        e.message.startsWith("refusing to restore database '${database}': the manifest next to ")
        e.message.endsWith("says sha256 ${'f' * 64}, step 'backup/db' recorded ${outputs.sha256}; the file is not the dump that step made; the database was not changed")
    }

    def "a missing dump is named"() {
        given:
        String database = create(pg, 'gone')
        Map outputs = backup(pg, database)
        Path dump = ctx.artifactsDir.resolve(outputs.artifact)
        Files.delete(dump)

        when:
        restore([:])

        then:
        StepFailedException e = thrown()
        e.message == "cannot restore database '${database}': the dump ${dump} made by step 'backup/db' is missing; the database was not changed"
    }

    def "a dump of database A is refused for database B, unless allowOtherDatabase says so"() {
        given:
        String a = create(pg, 'a')
        String b = create(pg, 'b')
        pg.sql(b, "INSERT INTO pages VALUES (3, 'only in b')")
        String bBefore = pg.snapshot(b)
        backup(pg, a)

        when:
        restore([database: b])

        then:
        StepFailedException e = thrown()
        e.message == "refusing to restore the dump of database '${a}' (step 'backup/db') into database '${b}' on " +
                "PostgreSQL at ${pg.host}:${pg.port}: it belongs to another database; give allowOtherDatabase: true " +
                'to restore it there anyway. The database was not changed'
        pg.snapshot(b) == bBefore

        when:
        Map outputs = restore([database: b, allowOtherDatabase: true])

        then:
        outputs.database == b
        pg.snapshot(b) == pg.snapshot(a)
    }

    def "a PostgreSQL dump is never fed to MySQL"() {
        given:
        String database = create(pg, 'engine')
        backup(pg, database)

        when:
        restore([engine: 'mariadb', host: my.host, port: my.port, allowOtherDatabase: true])

        then:
        StepFailedException e = thrown()
        e.message == "refusing to restore: the dump of step 'backup/db' is a postgres dump of database '${database}', " +
                "and the target is MariaDB at ${my.host}:${my.port}; the database was not changed"
    }

    def "a failed PostgreSQL restore is rolled back whole: the database stays as it was"() {
        given: 'a dump that breaks at its very end, recorded as if the backup had made it'
        String database = create(pg, 'atomic')
        Map outputs = backup(pg, database)
        Path dump = ctx.artifactsDir.resolve(outputs.artifact)
        Files.writeString(dump, Files.readString(dump) + '\nSELECT no_such_function();\n')
        Files.delete(dump.resolveSibling('backup.json'))
        FileDigest digest = FileDigest.of(dump)
        ctx.ownOutputs = outputs + [sha256: digest.sha256(), sizeBytes: digest.size()]
        pg.sql(database, MIGRATION)
        String migrated = pg.snapshot(database)

        when:
        backupStep(pg, database).compensation().action().execute(ctx)

        then:
        StepFailedException e = thrown()
        e.message == "restoring database '${database}' on PostgreSQL at ${pg.host}:${pg.port} failed: " +
                'psql exited with 3: ERROR: function no_such_function() does not exist; the restore ran in one transaction, so the database was left as it was'
        pg.snapshot(database) == migrated
    }

    def "a tool that is not where tools points is named, and nothing is dumped"() {
        given:
        String database = create(pg, 'tool')

        when:
        backup(pg, database, [tools: [pg_dump: dir.resolve('bin/pg_dump').toString()]])

        then:
        StepFailedException e = thrown()
        e.message == "${dir.resolve('bin/pg_dump')} not found: correct tools.pg_dump"
        !Files.exists(stepDir().resolve("${database}.sql"))
    }

    def "a server that is not there, or a database that does not exist, is one line"() {
        when:
        backup(pg, 'lockstep_no_such_db')

        then:
        StepFailedException missing = thrown()
        missing.message == "database 'lockstep_no_such_db' does not exist on PostgreSQL at ${pg.host}:${pg.port}"

        when:
        backup(pg, 'lockstep_any', [port: 1])

        then:
        StepFailedException refused = thrown()
        refused.message == "cannot reach PostgreSQL at ${pg.host}:1: connection refused (is the server running and accepting TCP connections there?)"

        when:
        backup(my, 'lockstep_no_such_db')

        then:
        StepFailedException unknown = thrown()
        unknown.message == "database 'lockstep_no_such_db' does not exist on MySQL at ${my.host}:${my.port}"
    }

    def "a dump cut short (#how) fails the step and leaves no file that looks complete"() {
        given:
        String database = create(pg, 'cut')
        Path tool = script('pg_dump', """\
            case "\$1" in --version) exec pg_dump --version ;; esac
            pg_dump "\$@" | head -c 600
            ${ending}
            """.stripIndent())

        when:
        backup(pg, database, [tools: [pg_dump: tool.toString()]])

        then:
        StepFailedException e = thrown()
        e.message == "pg_dump of database '${database}' exited with ${exit}; the partial dump was deleted"
        Files.list(stepDir()).toList() == []

        where:
        how                  | ending                                                             || exit
        'an error'           | 'echo "pg_dump: error: connection to server was lost" >&2; exit 1' || '1: connection to server was lost'
        'killed by a signal' | 'kill -9 $$'                                                       || '137 (killed by signal 9)'
    }

    def "a cancelled dump ends the tool and what it started, and leaves no file"() {
        given:
        String database = create(pg, 'cancel')
        Path pidFile = dir.resolve('sleeper.pid')
        Path tool = script('pg_dump', """\
            case "\$1" in --version) exec pg_dump --version ;; esac
            printf -- '-- PostgreSQL database dump\\n'
            sleep 60 &
            echo \$! > ${pidFile}
            wait
            """.stripIndent())
        Thread.start {
            while (!Files.exists(pidFile) || Files.readString(pidFile).isBlank()) {
                Thread.sleep(20)
            }
            ctx.cancelReason = 'timeout after 1s'
        }

        when:
        backup(pg, database, [tools: [pg_dump: tool.toString()]])

        then:
        thrown(CancellationException)
        Files.list(stepDir()).toList() == []
        !ProcessHandle.of(Files.readString(pidFile).trim() as long).map { it.alive }.orElse(false)
    }

    def "a partial dump left by a killed engine is discarded by the next attempt"() {
        given:
        String database = create(pg, 'stale')
        Path stale = Files.createDirectories(stepDir()).resolve("${database}.sql.partial")
        Files.writeString(stale, '-- half a dump')

        when:
        Map outputs = backup(pg, database)

        then:
        !Files.exists(stale)
        Files.list(stepDir()).collect { it.fileName.toString() }.sort() == ['backup.json', "${database}.sql".toString()]
        outputs.sizeBytes > 0
    }

    def "the password reaches #engine in the #how, never on the command line"() {
        given:
        DatabaseTestbed.Server server = engine == 'postgres' ? pg : my
        ctx.secrets.dbPassword = server.password
        String database = create(server, 'argv')
        Path seen = dir.resolve('seen')
        Path tool = script(toolName, """\
            case "\$1" in --version) exec ${toolName} --version ;; esac
            printf '%s\\n' "\$@" > ${seen}.args
            echo "PGPASSWORD=\${PGPASSWORD:-unset}" > ${seen}.env
            for arg in "\$@"; do case "\$arg" in --defaults-extra-file=*) cat "\${arg#*=}" > ${seen}.file; stat -c %a "\${arg#*=}" > ${seen}.mode ;; esac; done
            exec ${toolName} "\$@"
            """.stripIndent())

        when:
        backup(server, database, [tools: [(toolName): tool.toString()]])

        then:
        !Files.readString(dir.resolve('seen.args')).contains(server.password)
        Files.readString(dir.resolve('seen.env')).contains(server.password) == (engine == 'postgres')
        Files.exists(dir.resolve('seen.file')) == (engine == 'mysql')
        engine == 'postgres' || Files.readString(dir.resolve('seen.file')).contains(server.password)
        engine == 'postgres' || Files.readString(dir.resolve('seen.mode')).trim() == '600'
        engine == 'postgres' || Files.list(ctx.artifactsDir.resolve('.private')).withCloseable { it.count() } == 0

        where:
        engine     | toolName    || how
        'postgres' | 'pg_dump'   || 'PGPASSWORD environment variable'
        'mysql'    | 'mysqldump' || 'private defaults file'
    }

    private Path stepDir() {
        ctx.artifactsDir.resolve(io.lockstep.steps.StepArgs.fileName('backup/db'))
    }
}
