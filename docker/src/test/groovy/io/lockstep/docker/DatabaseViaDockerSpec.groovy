package io.lockstep.docker

import com.fasterxml.jackson.databind.ObjectMapper
import io.lockstep.database.ToolCall
import io.lockstep.database.Transport
import io.lockstep.engine.model.SecretRef
import io.lockstep.engine.model.Step
import io.lockstep.engine.spi.StepTypes
import io.lockstep.steps.StepFailedException
import io.lockstep.testing.TestStepContext
import io.lockstep.testing.TestbedSettings
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path

/**
 * backupDatabase and restoreDatabase with via: 'docker': PostgreSQL's tools in the testbed's hosts
 * database container (on a scratch database of the spec's own), MariaDB's in a short-lived client
 * container of the spec's own on the host network.
 */
class DatabaseViaDockerSpec extends Specification {

    static final StepTypes TYPES = StepTypes.load(DatabaseViaDockerSpec.classLoader)
    static final String PG_CONTAINER = 'lockstep-hosts-db'
    static final Random RANDOM = new Random()

    static final String SCHEMA = '''
        CREATE TABLE users (id int PRIMARY KEY, email text NOT NULL, note text);
        INSERT INTO users VALUES (1, 'ada@example.com', 'tab\there'), (2, 'bob@example.com', NULL);
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
    @Shared String myHost = TestbedSettings.find('MARIADB_HOST')
    @Shared String myPort = TestbedSettings.find('MARIADB_PORT')
    @Shared String myUser = TestbedSettings.find('MARIADB_USER')
    @Shared String myPassword = TestbedSettings.find('MARIADB_PASSWORD')

    @TempDir
    Path dir

    TestStepContext ctx
    List<String> cleanups = []

    def setup() {
        assert pgHost && myHost: 'these specs need the testbed: run src/testbed/up, or set LOCKSTEP_TESTBED_HOME'
        ctx = new TestStepContext(dir)
        ctx.stepId = 'backup/db'
    }

    def cleanup() {
        cleanups.reverse().each { it() }
        ctx.close()
    }

    static String random() {
        Long.toString(RANDOM.nextLong() & Long.MAX_VALUE, 36)
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

    String psql(String database, String sql) {
        run([PGPASSWORD: pgPassword], sql, ['psql', '-X', '-q', '-t', '-A', '-v', 'ON_ERROR_STOP=1', '-h', pgHost, '-p', pgPort, '-U', pgUser, '-d', database])
    }

    String pgSnapshot(String database) {
        run([PGPASSWORD: pgPassword], null, ['pg_dump', '-Fp', '--no-comments', '-h', pgHost, '-p', pgPort, '-U', pgUser, '-d', database])
                .readLines().findAll { !it.startsWith('\\restrict') && !it.startsWith('\\unrestrict') }.join('\n')
    }

    String mysql(String database, String sql) {
        run([MYSQL_PWD: myPassword], sql, ['mysql', '--protocol=TCP', '-h', myHost, '-P', myPort, '-u', myUser, '--batch', '--skip-column-names', database])
    }

    String mySnapshot(String database) {
        run([MYSQL_PWD: myPassword], null, ['mysqldump', '--protocol=TCP', '-h', myHost, '-P', myPort, '-u', myUser, '--skip-dump-date', '--skip-comments', '--order-by-primary', database])
    }

    String scratchPostgres() {
        String name = "lockstep_spec_${random()}".toString()
        psql('postgres', "CREATE DATABASE ${name}")
        cleanups << { psql('postgres', "DROP DATABASE IF EXISTS ${name} WITH (FORCE)") }
        psql(name, SCHEMA)
        name
    }

    String scratchMariadb() {
        String name = "lockstep_spec_${random()}".toString()
        mysql('information_schema', "CREATE DATABASE ${name}")
        cleanups << { mysql('information_schema', "DROP DATABASE IF EXISTS ${name}") }
        mysql(name, SCHEMA.replace(' text', ' varchar(200)'))
        name
    }

    /** A client container of the spec's own on the host network, removed after the feature. */
    String clientContainer() {
        String name = "lockstep-spec-mysqlclient-${random()}".toString()
        run(['docker', 'run', '-d', '--rm', '--name', name, '--network', 'host', '--entrypoint', 'sleep',
             TestbedSettings.find('BASE_IMAGE') ?: 'lockstep/base:bookworm', 'infinity'])
        cleanups << { run(['docker', 'rm', '-f', name]) }
        name
    }

    Step step(String type, String id, Map args) {
        def stepType = TYPES.find(type).orElseThrow()
        Map all = [:]
        stepType.arguments().each { if (it.defaultValue() != null) all[it.name()] = it.defaultValue() }
        stepType.create(id, all + args).build()
    }

    def "PostgreSQL: a backup through docker exec, a forward migration and the undo bring the database back"() {
        given:
        String database = scratchPostgres()
        String before = pgSnapshot(database)
        ctx.secrets.dbPassword = pgPassword
        Step backup = step('backupDatabase', 'backup/db', [via: 'docker', container: PG_CONTAINER, engine: 'postgres',
                host: '127.0.0.1', port: 5432, database: database, user: pgUser, password: new SecretRef('dbPassword')])

        expect: 'the plan says where the tools run'
        backup.description().contains("as ${pgUser} in container ${PG_CONTAINER} into the run's artifacts")

        when:
        long started = System.nanoTime()
        Map outputs = backup.action().execute(ctx)
        Path dump = ctx.artifactsDir.resolve(outputs.artifact as String)

        then:
        Files.readString(dump).contains('CREATE TABLE public.users')
        outputs.via == 'docker'
        outputs.viaArgs == [container: PG_CONTAINER]
        outputs.host == '127.0.0.1'
        outputs.sizeBytes == dump.toFile().length()
        outputs.sha256 == Files.readAllBytes(dump).digest('SHA-256')
        outputs.toolVersion.startsWith('pg_dump (PostgreSQL)')
        ctx.lines.any { it.startsWith('dumping into ') && it.endsWith("in container ${PG_CONTAINER}") }

        when: 'the upgrade migrates forward'
        psql(database, MIGRATION)

        then:
        pgSnapshot(database) != before

        when: 'the rollback restores through the container again'
        ctx.ownOutputs = outputs
        backup.compensation().action().execute(ctx)

        then:
        pgSnapshot(database) == before
        psql(database, 'SELECT id, email FROM users ORDER BY id') == '1|ada@example.com\n2|bob@example.com\n'
        !new ObjectMapper().writeValueAsString(outputs).contains(pgPassword)
        ctx.lines.every { !it.contains(pgPassword) }

        cleanup:
        println "PostgreSQL via docker round trip: ${(System.nanoTime() - started).intdiv(1_000_000)} ms"
    }

    def "restoreDatabase finds the container the backup recorded"() {
        given:
        String database = scratchPostgres()
        String before = pgSnapshot(database)
        ctx.secrets.dbPassword = pgPassword
        Map outputs = step('backupDatabase', 'backup/db', [via: 'docker', container: PG_CONTAINER, engine: 'postgres',
                host: '127.0.0.1', port: 5432, database: database, user: pgUser, password: new SecretRef('dbPassword')])
                .action().execute(ctx)
        psql(database, MIGRATION)
        ctx.finished['backup/db'] = outputs

        when:
        Step restore = step('restoreDatabase', 'put-back', [from: 'backup/db'])
        ctx.stepId = 'put-back'
        restore.action().execute(ctx)

        then:
        pgSnapshot(database) == before
    }

    def "MariaDB: the round trip through a client container; the password is in no inspect output"() {
        given:
        String database = scratchMariadb()
        String container = clientContainer()
        String before = mySnapshot(database)
        ctx.secrets.dbPassword = myPassword
        Step backup = step('backupDatabase', 'backup/db', [via: 'docker', container: container, engine: 'mariadb',
                host: myHost, port: myPort as int, database: database, user: myUser, password: new SecretRef('dbPassword')])

        when:
        Map outputs = backup.action().execute(ctx)
        mysql(database, MIGRATION.replace(' text', ' varchar(200)'))
        ctx.ownOutputs = outputs
        backup.compensation().action().execute(ctx)

        then:
        mySnapshot(database) == before
        outputs.via == 'docker'
        !run(['docker', 'inspect', container]).contains(myPassword)
        !new ObjectMapper().writeValueAsString(outputs).contains(myPassword)
        ctx.lines.every { !it.contains(myPassword) }

        and: 'the option file is gone from the container'
        run(['docker', 'exec', container, 'sh', '-c', 'ls -A /tmp']).readLines().findAll { it.startsWith('lockstep-') } == []
    }

    def "the environment of an exec, which holds PGPASSWORD, is not in the exec's inspect output"() {
        given:
        String container = clientContainer()
        Transport transport = new DockerTransportProvider().open([container: container], ctx)

        when:
        def result = transport.run(new ToolCall('true', [], [PGPASSWORD: 'pw-in-env-0123'], null, null), ctx)
        def inspected
        try (Docker docker = DockerClients.lease(DockerHost.resolve(ctx, null))) {
            inspected = docker.client().inspectExecCmd(((DockerTransport) transport).lastExecId).exec()
        }

        then:
        result.exitCode() == 0
        !new ObjectMapper().writeValueAsString(inspected).contains('pw-in-env-0123')
        !run(['docker', 'inspect', container]).contains('pw-in-env-0123')

        cleanup:
        transport?.close()
    }

    def "a missing container and a missing tool are clear errors"() {
        given:
        ctx.secrets.dbPassword = pgPassword
        String container = clientContainer()

        when:
        step('backupDatabase', 'backup/db', [via: 'docker', container: 'lockstep-spec-no-such-container', engine: 'postgres',
                database: 'x', user: pgUser]).action().execute(ctx)

        then:
        StepFailedException e = thrown()
        e.message.startsWith("no container named 'lockstep-spec-no-such-container' on ")

        when: 'the tool the step names is not in the container'
        step('backupDatabase', 'backup/db', [via: 'docker', container: container, engine: 'postgres',
                database: 'x', user: pgUser, tools: [pg_dump: 'pg_dump_missing']]).action().execute(ctx)

        then:
        e = thrown(StepFailedException)
        e.message == "pg_dump_missing not found on PATH in container ${container}: correct tools.pg_dump"
    }

    def "a cancelled tool is ended in the container"() {
        given:
        String container = clientContainer()
        Transport transport = new DockerTransportProvider().open([container: container], ctx)
        Thread.start { Thread.sleep(1500); ctx.cancel('timeout') }

        when:
        transport.run(new ToolCall('sleep', ['60'], [:], null, null), ctx)

        then:
        thrown(java.util.concurrent.CancellationException)
        !run(['docker', 'top', container]).readLines().any { it.endsWith('sleep 60') }

        cleanup:
        transport?.close()
    }

    def "via docker without a container fails when the step is created"() {
        when:
        step('backupDatabase', 'backup/db', [via: 'docker', engine: 'postgres', database: 'x', user: 'u'])

        then:
        IllegalArgumentException e = thrown()
        e.message == "backupDatabase 'backup/db': via 'docker' needs container: the name of the container the tools run in"
    }
}
