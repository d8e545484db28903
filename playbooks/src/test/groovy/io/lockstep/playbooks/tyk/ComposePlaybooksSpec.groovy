package io.lockstep.playbooks.tyk

import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path
import java.time.Instant

/**
 * playbooks/tyk-portal/compose.groovy and tyk-gateway/compose.groovy end to end through the CLI,
 * with the testbed's docker-compose, daemon, registry and MariaDB: the services run from a
 * docker-compose.yaml as their operators wrote it, and the playbooks edit its image tags.
 */
class ComposePlaybooksSpec extends Specification {

    static final Path PORTAL = Path.of('tyk-portal/compose.groovy').toAbsolutePath()
    static final Path GATEWAY = Path.of('tyk-gateway/compose.groovy').toAbsolutePath()
    static final String DB_ENGINE = 'mariadb'

    @TempDir
    Path dir

    String suffix = Long.toString(System.nanoTime(), 36)
    String container = "lockstep-e2e-$suffix"
    String database = "lockstep_compose_$suffix"
    int port = Testbed.freePort()
    Path composeFile
    CliRunner cli

    def setup() {
        composeFile = dir.resolve('docker-compose.yaml')
        cli = new CliRunner(dir.resolve('store'), [LOCKSTEP_SECRET_TESTBED_DB_PASSWORD: Testbed.get('MARIADB_PASSWORD')])
    }

    def cleanup() {
        if (Files.exists(composeFile)) {
            compose('down', '--timeout', '1')
        }
        Testbed.dockerQuietly('rm', '-f', container)
        Testbed.dropDatabase(DB_ENGINE, database)
    }

    private String compose(String... args) {
        Map result = Testbed.compose(composeFile, args)
        assert result.code == 0: result.out
        result.out
    }

    private Path environment(Path playbook, Map<String, Object> vars) {
        Path env = dir.resolve('e2e.groovy')
        Files.writeString(env, """\
            environment('e2e') {
                inherits '${playbook.resolveSibling('env/testbed.groovy')}'
                vars {
            ${vars.collect { k, v -> "        $k = ${v instanceof Number ? v : "'$v'"}" }.join('\n')}
                }
            }
            """.stripIndent())
        env
    }

    private String portalCompose(String version) {
        Map<String, String> db = Testbed.portalDatabase(DB_ENGINE, database)
        """\
        # The developer portal, as its operators run it.
        services:
          tyk-portal:
            image: "${Testbed.image('tyk-portal', version)}"   # pinned: upgrades edit this line
            container_name: $container
            network_mode: host
            restart: "no"
            environment:
              PORTAL_LISTEN_ADDRESS: "127.0.0.1"
              PORTAL_PORT: "$port"
              PORTAL_DATABASE_DIALECT: "${db.PORTAL_DATABASE_DIALECT}"
              PORTAL_DATABASE_CONNECTIONSTRING: "${db.PORTAL_DATABASE_CONNECTIONSTRING}"
        """.stripIndent()
    }

    def "the portal on Compose and MariaDB: a failed migration is rolled back in the guide's order and the old tag serves again"() {
        given:
        Testbed.createDatabase(DB_ENGINE, database)
        Files.createDirectories(dir.resolve('themes'))
        String original = portalCompose('1.14.1')
        Files.writeString(composeFile, original)
        Testbed.docker('pull', Testbed.image('tyk-portal', '1.14.1'))
        compose('up', '-d')
        assert Testbed.awaitOk("http://127.0.0.1:$port/version") == '1.14.1'
        Testbed.mariadb(database, "INSERT INTO portal_users (id, email) VALUES (1, 'ada@example.com')")
        Path env = environment(PORTAL, [portalContainer: container, portalUrl: "http://127.0.0.1:$port",
                                        portalImage: "${Testbed.registry()}/tyk-portal",
                                        composeFile: composeFile, dockerConfig: Testbed.get('DOCKER_CONFIG'),
                                        themeDir: dir.resolve('themes'), dbEngine: 'mysql',
                                        dbHost: Testbed.get('MARIADB_HOST'), dbPort: Testbed.get('MARIADB_PORT') as int,
                                        dbName: database, dbUser: Testbed.get('MARIADB_USER')])
        long since = Instant.now().epochSecond

        when:
        def run = cli.run('run', PORTAL.toString(), '-e', env.toString(), '-p', 'version=1.14.2-broken',
                '--approve', 'release-notes')
        long until = Instant.now().epochSecond + 1

        then: 'up -d sees the new portal exit, or the log check sees why first: both name the migration failure'
        run.code == 3
        String failed = (run.out =~ /failed at (\S+): /)[0][1]
        failed in ['upgrade/portal', 'upgrade/migration']
        run.out.contains('failed to migrate database')
        cli.compensated(run.runId) == (failed == 'upgrade/migration' ? ['upgrade/portal'] : []) +
                ['backup/theme', 'backup/database', 'compose-file/portal-image', 'stop/portal', 'preflight/current-version']

        and: 'the compose file is the operator\'s again, byte for byte'
        Files.readString(composeFile) == original

        and: 'the database was restored while the portal was stopped, before it started again'
        List<Map> events = Testbed.containerEvents(container, since, until)
        long restored = cli.recordNanos(run.runId, 'COMPENSATION_FINISHED', 'backup/database')
        Map lastStop = events.findAll { it.action == 'stop' || it.action == 'die' }[-1]
        Map lastStart = events.findAll { it.action == 'start' }[-1]
        lastStop.nanos < restored
        restored < lastStart.nanos
        Testbed.mariadb(database, 'SELECT version, dirty FROM schema_version ORDER BY version') == '1.13.0\t0\n1.14.0\t0\n1.14.1\t0'
        Testbed.mariadb(database, "SELECT count(*) FROM information_schema.tables WHERE table_schema = '$database' AND table_name = 'portal_custom_pages'") == '0'
        Testbed.mariadb(database, 'SELECT email FROM portal_users') == 'ada@example.com'

        and:
        Testbed.awaitOk("http://127.0.0.1:$port/version") == '1.14.1'
    }

    def "the gateway on Compose: the image tag is changed in place, the service comes up on it, the config file is kept"() {
        given:
        Path config = dir.resolve('tyk.conf')
        Files.writeString(config, '{"listen_port": 8080}\n')
        String original = """\
            services:
              tyk-gateway:
                # the gateway of the team's sandbox
                image: ${Testbed.image('tyk-gateway', '5.2.5')}
                container_name: $container
                ports:
                  - "127.0.0.1:$port:8080"
                volumes:
                  - ./tyk.conf:/opt/tyk-gateway/tyk.conf
            """.stripIndent()
        Files.writeString(composeFile, original)
        Testbed.docker('pull', Testbed.image('tyk-gateway', '5.2.5'))
        compose('up', '-d')
        assert Testbed.awaitOk("http://127.0.0.1:$port/hello").contains('"version":"v5.2.5"')
        Path env = environment(GATEWAY, [gatewayContainer: container, gatewayUrl: "http://127.0.0.1:$port",
                                         gatewayImage: "${Testbed.registry()}/tyk-gateway",
                                         gatewayConfig: config, composeFile: composeFile,
                                         dockerConfig: Testbed.get('DOCKER_CONFIG')])

        when:
        def run = cli.run('run', GATEWAY.toString(), '-e', env.toString(), '-p', 'version=5.3.0')

        then:
        run.code == 0
        cli.finished(run.runId) == ['preflight/current-version', 'prepare/image', 'stop/gateway', 'backup/config',
                                    'compose-file/gateway-image', 'upgrade/pull', 'upgrade/gateway', 'upgrade/started',
                                    'verify/health', 'verify/version']
        Files.readString(composeFile) == original.replace(Testbed.image('tyk-gateway', '5.2.5'), Testbed.image('tyk-gateway', '5.3.0'))
        Testbed.awaitOk("http://127.0.0.1:$port/hello").contains('"version":"v5.3.0"')
        Files.readString(config) == '{"listen_port": 8080}\n'
    }
}
