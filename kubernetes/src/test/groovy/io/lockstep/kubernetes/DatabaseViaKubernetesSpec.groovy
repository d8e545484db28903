package io.lockstep.kubernetes

import io.fabric8.kubernetes.api.model.PodBuilder
import io.lockstep.engine.RunStatus
import io.lockstep.engine.model.SecretRef
import io.lockstep.testing.TestbedSettings
import spock.lang.Shared

import java.nio.file.Files
import java.nio.file.Path

/**
 * backupDatabase and restoreDatabase with via: 'kubernetes': the tools run in a pod through the fake
 * API server's exec stream, which ExecBridge hands to the testbed's hosts database container. Each
 * feature works on a scratch database of its own.
 */
class DatabaseViaKubernetesSpec extends KubeRunSpecification {

    static final String PG_CONTAINER = 'lockstep-hosts-db'
    static final String SCHEMA = '''
        CREATE TABLE users (id int PRIMARY KEY, email text NOT NULL, note text);
        INSERT INTO users VALUES (1, 'ada@example.com', 'tab\there'), (2, 'bob@example.com', NULL);
        '''
    static final String MIGRATION = '''
        ALTER TABLE users ADD COLUMN sso text;
        UPDATE users SET email = 'ada@new.example.com' WHERE id = 1;
        DELETE FROM users WHERE id = 2;
        '''

    @Shared String pgHost = TestbedSettings.find('HOSTS_POSTGRES_HOST')
    @Shared String pgPort = TestbedSettings.find('HOSTS_POSTGRES_PORT')
    @Shared String pgUser = TestbedSettings.find('HOSTS_POSTGRES_USER')
    @Shared String pgPassword = TestbedSettings.find('HOSTS_POSTGRES_PASSWORD')

    ExecBridge bridge = new ExecBridge()

    @Override
    List<FakeKubeApi.Route> routes() {
        [bridge]
    }
    List<Closure> cleanups = []

    def setup() {
        assert pgHost: 'these specs need the testbed: run src/testbed/up, or set LOCKSTEP_TESTBED_HOME'
        api.client('tyk').resource(KubeRun.deployment('tyk-db', ['postgres': 'postgres:15'], 1)).create()
        api.client('tyk').pods().resource(new PodBuilder().withNewMetadata().withName('tyk-db-0').addToLabels('app', 'tyk-db').endMetadata()
                .withNewSpec().addNewContainer().withName('postgres').withImage('postgres:15').endContainer().endSpec()
                .withNewStatus().withPhase('Running').addNewCondition().withType('Ready').withStatus('True').endCondition().endStatus()
                .build()).create()
        bridge.containers['tyk-db-0'] = PG_CONTAINER
    }

    def cleanup() {
        cleanups.reverse().each { it() }
    }

    static String sh(Map<String, String> env = [:], String stdin = null, List<String> argv) {
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
        assert process.exitValue() == 0: "${argv[0]} failed: ${err.toString('UTF-8')}"
        out
    }

    String psql(String database, String sql) {
        sh([PGPASSWORD: pgPassword], sql, ['psql', '-X', '-q', '-t', '-A', '-v', 'ON_ERROR_STOP=1', '-h', pgHost, '-p', pgPort, '-U', pgUser, '-d', database])
    }

    String snapshot(String database) {
        sh([PGPASSWORD: pgPassword], null, ['pg_dump', '-Fp', '--no-comments', '-h', pgHost, '-p', pgPort, '-U', pgUser, '-d', database])
                .readLines().findAll { !it.startsWith('\\restrict') && !it.startsWith('\\unrestrict') }.join('\n')
    }

    static String scratchName() {
        "lockstep_spec_k8s_${Long.toString(new Random().nextLong() & Long.MAX_VALUE, 36)}".toString()
    }

    /** A backup through the pod; {@code where} says which pod, engine and port. */
    def backupStep(String database, Map where) {
        KubeRun.step('backupDatabase', 'backup/db', [via: 'kubernetes', kubeconfig: kubeconfig, host: '127.0.0.1',
                database: database, user: pgUser, password: new SecretRef('dbPassword')] + where)
    }

    String scratch() {
        String name = scratchName()
        psql('postgres', "CREATE DATABASE ${name}")
        cleanups << { psql('postgres', "DROP DATABASE IF EXISTS ${name} WITH (FORCE)") }
        psql(name, SCHEMA)
        name
    }

    def "a backup through the pod, a migration and the rollback's restore bring the database back"() {
        given:
        String database = scratch()
        String before = snapshot(database)
        def backup = backupStep(database, [workload: 'tyk-db', pod: null, engine: 'postgres', port: 5432])
        def migrate = KubeRun.doing('upgrade/migrate', { psql(database, MIGRATION) })

        expect: 'the plan says where the tools run'
        backup.description().contains("in the first ready pod of deployment tyk-db")

        when:
        def result = new KubeRun(dir).with { r ->
            r.secrets = [dbPassword: pgPassword]
            r.run(backup, migrate, KubeRun.failing())
        }

        then: 'the dump came out of the pod, and the rollback restored it through the pod'
        result.status() == RunStatus.ROLLED_BACK
        result.outputs()['backup/db'].via == 'kubernetes'
        Files.readString(Files.walk(dir.resolve('runs')).find { it.endsWith(result.outputs()['backup/db'].artifact as String) } as Path)
                .contains('CREATE TABLE public.users')
        snapshot(database) == before

        and: 'the password was on no command line the API server saw, and no file is left in the container'
        bridge.commands.every { argv -> argv.every { !it.contains(pgPassword) } }
        sh(['docker', 'exec', PG_CONTAINER, 'sh', '-c', 'ls -A /tmp']).readLines().findAll { it.startsWith('lockstep-') } == []
    }

    /** SQL through the mariadb client inside the database container: MariaDB listens on the hosts' network only. */
    String mariadb(String database, String sql) {
        sh([:], sql, ['docker', 'exec', '-i', '-e', "MYSQL_PWD=${pgPassword}", PG_CONTAINER,
                'mariadb', '-h', '127.0.0.1', '-P', '3306', '-u', pgUser, '--batch', '--skip-column-names', database])
    }

    /** The rows and the table definition, as a comparison needs them. */
    String mariadbSnapshot(String database) {
        mariadb(database, 'SHOW CREATE TABLE users; SELECT * FROM users ORDER BY id;')
    }

    String mariadbScratch() {
        String name = scratchName()
        mariadb('mysql', "CREATE DATABASE ${name}")
        cleanups << { mariadb('mysql', "DROP DATABASE IF EXISTS ${name}") }
        mariadb(name, 'CREATE TABLE users (id int PRIMARY KEY, email varchar(200) NOT NULL, note text);' +
                "INSERT INTO users VALUES (1, 'ada@example.com', 'tab\\there'), (2, 'bob@example.com', NULL);")
        name
    }

    def "MariaDB: mariadb-dump in the pod, a migration, and the rollback's restore with mariadb in the pod bring the database back"() {
        given:
        String database = mariadbScratch()
        String before = mariadbSnapshot(database)
        def backup = backupStep(database, [pod: 'tyk-db-0', container: 'postgres', engine: 'mariadb', port: 3306])
        def migrate = KubeRun.doing('upgrade/migrate', {
            mariadb(database, "ALTER TABLE users ADD COLUMN sso text; UPDATE users SET email = 'ada@new.example.com' WHERE id = 1; " +
                    'DELETE FROM users WHERE id = 2;')
        })

        when:
        def result = new KubeRun(dir).with { r ->
            r.secrets = [dbPassword: pgPassword]
            r.run(backup, migrate, KubeRun.failing())
        }

        then:
        result.status() == RunStatus.ROLLED_BACK
        result.outputs()['backup/db'].via == 'kubernetes'
        Files.readString(Files.walk(dir.resolve('runs')).find { it.endsWith(result.outputs()['backup/db'].artifact as String) } as Path)
                .contains('CREATE TABLE `users`')
        mariadbSnapshot(database) == before
        before.contains('ada@example.com') && before.contains('bob@example.com')

        and: 'the dump and the restore ran in the pod, with the password on no command line'
        bridge.commands.any { it[0] == 'tyk-db-0' && it.any { arg -> arg.contains('mariadb-dump') } }
        bridge.commands.every { argv -> argv.every { !it.contains(pgPassword) } }
        sh(['docker', 'exec', PG_CONTAINER, 'sh', '-c', 'ls -A /tmp']).readLines().findAll { it.startsWith('lockstep-') } == []
    }
}
