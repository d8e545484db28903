package io.lockstep.ssh

import com.fasterxml.jackson.databind.ObjectMapper
import io.lockstep.database.ToolCall
import io.lockstep.database.Transport
import io.lockstep.engine.model.SecretRef
import io.lockstep.engine.model.Step
import io.lockstep.engine.model.Target
import io.lockstep.steps.StepFailedException
import io.lockstep.testing.TestStepContext
import io.lockstep.testing.TestbedSettings
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.CopyOnWriteArrayList

/**
 * backupDatabase and restoreDatabase with via: 'ssh' on the testbed's host 6 (lockstep-host-6), which
 * has the PostgreSQL and MariaDB client tools and reaches the hosts' PostgreSQL and MariaDB as db:5432
 * and db:3306; each feature works on a scratch database of its own there.
 */
class DatabaseViaSshSpec extends Specification {

    static final Random RANDOM = new Random()
    static final String SCHEMA = '''
        CREATE TABLE users (id int PRIMARY KEY, email text NOT NULL, note text);
        INSERT INTO users VALUES (1, 'ada@example.com', 'tab\there'), (2, 'bob@example.com', NULL);
        INSERT INTO users SELECT g, 'user' || g || '@example.com', repeat('x', 200) FROM generate_series(3, 20000) g;
        '''
    static final String MIGRATION = '''
        ALTER TABLE users ADD COLUMN sso text;
        CREATE TABLE teams (id int PRIMARY KEY, name text);
        UPDATE users SET email = 'ada@new.example.com' WHERE id = 1;
        DELETE FROM users WHERE id = 2;
        '''

    @Shared String pgHost = TestbedSettings.find('HOSTS_POSTGRES_HOST')
    @Shared String pgPort = TestbedSettings.find('HOSTS_POSTGRES_PORT')
    @Shared String pgUser = TestbedSettings.find('HOSTS_POSTGRES_USER')
    @Shared String pgPassword = TestbedSettings.find('HOSTS_POSTGRES_PASSWORD')

    @TempDir
    Path dir

    TestStepContext ctx
    String database

    def setup() {
        assert pgHost: 'these specs need the testbed: run src/testbed/up, or set LOCKSTEP_TESTBED_HOME'
        ctx = new TestStepContext(dir)
        ctx.stepId = 'backup/db'
        ctx.target = host6()
        ctx.secrets.dbPassword = pgPassword
        database = "lockstep_spec_${Long.toString(RANDOM.nextLong() & Long.MAX_VALUE, 36)}".toString()
        psql('postgres', "CREATE DATABASE ${database}")
        psql(database, SCHEMA)
    }

    def cleanup() {
        ctx.close()
        psql('postgres', "DROP DATABASE IF EXISTS ${database} WITH (FORCE)")
    }

    /** Only host 6 of the testbed: the one with the PostgreSQL client tools. */
    static Target host6() {
        String entry = TestbedSettings.get('HOSTS').split(',').find { it.startsWith('lockstep-host-6:') }
        new Target('lockstep-host-6', [host: TestbedSettings.get('SSH_HOST'), port: entry.substring(entry.lastIndexOf(':') + 1) as int,
                user: TestbedSettings.get('SSH_USER'), identity: TestbedSettings.get('SSH_KEY'),
                knownHosts: TestbedSettings.get('KNOWN_HOSTS'), agent: 'false'])
    }

    static String run(Map<String, String> env = [:], String stdin = null, List<String> argv) {
        ProcessBuilder builder = new ProcessBuilder(argv*.toString())
        builder.environment().putAll(env)
        Process process = builder.start()
        Thread feeder = Thread.start { process.outputStream.withCloseable { if (stdin != null) { it.write(stdin.getBytes('UTF-8')) } } }
        def err = new ByteArrayOutputStream()
        Thread errors = Thread.start { err << process.errorStream }
        String out = process.inputStream.text
        process.waitFor()
        feeder.join()
        errors.join()
        if (process.exitValue() != 0) {
            throw new IllegalStateException("${argv[0]} exited with ${process.exitValue()}: ${err.toString('UTF-8')}")
        }
        out
    }

    String psql(String db, String sql) {
        run([PGPASSWORD: pgPassword], sql, ['psql', '-X', '-q', '-t', '-A', '-v', 'ON_ERROR_STOP=1', '-h', pgHost, '-p', pgPort, '-U', pgUser, '-d', db])
    }

    String snapshot() {
        run([PGPASSWORD: pgPassword], null, ['pg_dump', '-Fp', '--no-comments', '-h', pgHost, '-p', pgPort, '-U', pgUser, '-d', database])
                .readLines().findAll { !it.startsWith('\\restrict') && !it.startsWith('\\unrestrict') }.join('\n')
    }

    Step backupStep(Map extra = [:]) {
        SshTestbed.step('backupDatabase', 'backup/db', [via: 'ssh', engine: 'postgres',
                host: TestbedSettings.get('HOSTS_POSTGRES_HOST_ON_HOSTS'), port: TestbedSettings.get('HOSTS_POSTGRES_PORT_ON_HOSTS') as int,
                database: database, user: pgUser, password: new SecretRef('dbPassword')] + extra).build()
    }

    /** Runs a program on host 6 through the transport; returns its stdout. */
    String onHost(List<String> argv) {
        Transport transport = new SshTransportProvider().open([:], ctx)
        def result = transport.run(new ToolCall(argv[0], argv.drop(1), [:], null, null), ctx)
        assert result.exitCode() == 0
        result.stdout()
    }

    def "PostgreSQL: a backup on the host over SSH, a forward migration and the undo bring the database back"() {
        given:
        String before = snapshot()
        Step backup = backupStep()

        expect:
        backup.description().contains("as ${pgUser} on the target's host into the run's artifacts")

        when:
        long started = System.nanoTime()
        Map outputs = backup.action().execute(ctx)
        Path dump = ctx.artifactsDir.resolve(outputs.artifact as String)

        then:
        Files.readString(dump).contains('CREATE TABLE public.users')
        outputs.via == 'ssh'
        outputs.host == 'db'
        outputs.sizeBytes == dump.toFile().length()
        outputs.sha256 == Files.readAllBytes(dump).digest('SHA-256')
        ctx.lines.any { it.startsWith('dumping into ') && it.endsWith("on lockstep@${host6().attribute('host')}:${host6().attribute('port')}") }

        when: 'the upgrade migrates forward'
        psql(database, MIGRATION)

        then:
        snapshot() != before

        when: 'the rollback restores over SSH, while the host process list is watched'
        List<String> processes = new CopyOnWriteArrayList<>()
        boolean watching = true
        TestStepContext watcher = new TestStepContext(dir.resolve('watcher'))
        watcher.target = host6()
        Thread watch = Thread.start {
            Transport t = new SshTransportProvider().open([:], watcher)
            while (watching) {
                processes.addAll(t.run(new ToolCall('ps', ['-eo', 'args'], [:], null, null), watcher).stdout().readLines())
                Thread.sleep(20)
            }
        }
        ctx.ownOutputs = outputs
        backup.compensation().action().execute(ctx)
        watching = false
        watch.join()
        watcher.close()

        then:
        snapshot() == before
        psql(database, 'SELECT id, email FROM users WHERE id < 3 ORDER BY id') == '1|ada@example.com\n2|bob@example.com\n'

        and: 'the password was on no command line on the host, and in no output or log line'
        !processes.isEmpty()
        processes.every { !it.contains(pgPassword) }
        !new ObjectMapper().writeValueAsString(outputs).contains(pgPassword)
        ctx.lines.every { !it.contains(pgPassword) }

        and: 'no private file is left on the host'
        onHost(['ls', '-A', '/tmp']).readLines().findAll { it.startsWith('lockstep-') } == []

        cleanup:
        println "PostgreSQL via ssh round trip: ${(System.nanoTime() - started).intdiv(1_000_000)} ms"
    }

    def "MariaDB: a backup on the host over SSH, a forward migration and the undo bring the database back"() {
        given: 'a scratch database on the hosts\' MariaDB (db:3306), made from host 6'
        String db = database + '_my'
        mysql(null, "CREATE DATABASE ${db}")
        mysql(db, MY_SCHEMA)
        String before = mysqlSnapshot(db)
        Step backup = SshTestbed.step('backupDatabase', 'backup/db', [via: 'ssh', engine: 'mariadb',
                host: TestbedSettings.get('HOSTS_MARIADB_HOST_ON_HOSTS'), port: TestbedSettings.get('HOSTS_MARIADB_PORT_ON_HOSTS') as int,
                database: db, user: pgUser, password: new SecretRef('dbPassword')]).build()

        when:
        Map outputs = backup.action().execute(ctx)
        Path dump = ctx.artifactsDir.resolve(outputs.artifact as String)
        mysql(db, MY_MIGRATION)
        String migrated = mysqlSnapshot(db)
        ctx.ownOutputs = outputs
        backup.compensation().action().execute(ctx)

        then: 'the dump came over SSH, and the restore undid the migration exactly'
        outputs.via == 'ssh'
        outputs.sha256 == Files.readAllBytes(dump).digest('SHA-256')
        Files.readString(dump).contains('CREATE TABLE `users`')
        migrated != before
        mysqlSnapshot(db) == before
        mysql(db, 'SELECT id, email FROM users WHERE id < 3 ORDER BY id') == '1\tada@example.com\n2\tbob@example.com\n'

        and: 'the password is in no output or log line, and no private file is left on the host'
        !new ObjectMapper().writeValueAsString(outputs).contains(pgPassword)
        ctx.lines.every { !it.contains(pgPassword) }
        onHost(['ls', '-A', '/tmp']).readLines().findAll { it.startsWith('lockstep-') } == []

        cleanup:
        mysql(null, "DROP DATABASE IF EXISTS ${db}")
    }

    static final String MY_SCHEMA = '''
        CREATE TABLE users (id int PRIMARY KEY, email varchar(200) NOT NULL, note text);
        INSERT INTO users VALUES (1, 'ada@example.com', 'tab\there'), (2, 'bob@example.com', NULL);
        '''
    static final String MY_MIGRATION = '''
        ALTER TABLE users ADD COLUMN sso text;
        CREATE TABLE teams (id int PRIMARY KEY, name text);
        UPDATE users SET email = 'ada@new.example.com' WHERE id = 1;
        DELETE FROM users WHERE id = 2;
        '''

    /** A statement on the hosts' MariaDB with the mariadb client of host 6; rows tab-separated. */
    String mysql(String db, String sql) {
        Transport transport = new SshTransportProvider().open([:], ctx)
        def result = transport.run(new ToolCall('mariadb', ['-h', TestbedSettings.get('HOSTS_MARIADB_HOST_ON_HOSTS'),
                '-P', TestbedSettings.get('HOSTS_MARIADB_PORT_ON_HOSTS'), '-u', pgUser, '-N', '-B', '-e', sql] + (db ? [db] : []),
                [MYSQL_PWD: pgPassword], null, null), ctx)
        assert result.exitCode() == 0: result.stderr()
        result.stdout()
    }

    /** Schema and rows of the database, as mysqldump prints them without its dated comments. */
    String mysqlSnapshot(String db) {
        Transport transport = new SshTransportProvider().open([:], ctx)
        def result = transport.run(new ToolCall('mysqldump', ['-h', TestbedSettings.get('HOSTS_MARIADB_HOST_ON_HOSTS'),
                '-P', TestbedSettings.get('HOSTS_MARIADB_PORT_ON_HOSTS'), '-u', pgUser, '--skip-comments', '--skip-dump-date', db],
                [MYSQL_PWD: pgPassword], null, null), ctx)
        assert result.exitCode() == 0: result.stderr()
        result.stdout()
    }

    def "the command line holds the environment file's path, never the password; the file is mode 0600 and gone after"() {
        given:
        SshTransport transport = (SshTransport) new SshTransportProvider().open([:], ctx)

        when: 'a tool prints its environment and the mode of the file it came from'
        def result = transport.run(new ToolCall('sh', ['-c', 'echo "$PGPASSWORD"'], [PGPASSWORD: 'pw \'quoted\' $x'], null, null), ctx)

        then:
        result.exitCode() == 0
        result.stdout().strip() == 'pw \'quoted\' $x'
        !transport.lastCommandLine.contains('quoted')
        transport.lastCommandLine =~ /\/tmp\/lockstep-[0-9a-f]{16}-env/

        when: 'a private file, as MySQL gets one'
        def file = transport.privateFile('step.cnf', 'secret', ctx)
        String mode = onHost(['stat', '-c', '%a', file.path()]).strip()
        file.close()

        then:
        mode == '600'
        onHost(['ls', '-A', '/tmp']).readLines().findAll { it.startsWith('lockstep-') } == []
    }

    def "the ssh settings may be given on the step; a missing tool on the host is a clear error"() {
        given:
        Target target = host6()
        ctx.target = null

        when:
        backupStep([ssh: target.attributes(), tools: [pg_dump: 'pg_dump_missing']]).action().execute(ctx)

        then:
        StepFailedException e = thrown()
        e.message == "pg_dump_missing not found on PATH on lockstep@${target.attribute('host')}:${target.attribute('port')}: correct tools.pg_dump"

        and:
        backupStep([ssh: [host: '10.0.0.5', user: 'lockstep', port: 22]]).description()
                .contains("as ${pgUser} on lockstep@10.0.0.5:22 into the run's artifacts")
    }

    def "a cancelled tool is ended on the host"() {
        given:
        Transport transport = new SshTransportProvider().open([:], ctx)
        Thread.start { Thread.sleep(1500); ctx.cancel('timeout') }

        when:
        transport.run(new ToolCall('sleep', ['60'], [:], null, null), ctx)

        then:
        thrown(java.util.concurrent.CancellationException)

        when:
        ctx.cancelReason = null
        String left = onHost(['ps', '-eo', 'args'])

        then:
        !left.readLines().any { it.startsWith('sleep 60') }
    }
}
