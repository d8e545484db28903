package io.lockstep.playbooks.tyk

import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path
import java.time.Instant

/**
 * playbooks/tyk-portal/docker.groovy end to end through the CLI, on the testbed's real daemon,
 * registry and PostgreSQL: a portal stand-in started with docker run is upgraded, or, when the new
 * version's migration fails, rolled back in the order of the troubleshooting guide.
 */
class PortalDockerPlaybookSpec extends Specification {

    static final Path PLAYBOOK = Path.of('tyk-portal/docker.groovy').toAbsolutePath()
    static final String DB_ENGINE = 'postgres'

    @TempDir
    Path dir

    String suffix = Long.toString(System.nanoTime(), 36)
    String container = "lockstep-e2e-portal-$suffix"
    String database = "lockstep_portal_$suffix"
    int port = Testbed.freePort()
    Path themes
    Path env
    CliRunner cli

    def setup() {
        Testbed.createDatabase(DB_ENGINE, database)
        themes = Files.createDirectories(dir.resolve('themes/custom'))
        Files.writeString(themes.resolve('theme.json'), '{"name":"custom","version":"1.0"}')
        env = dir.resolve('e2e.groovy')
        Files.writeString(env, """\
            environment('e2e') {
                inherits '${PLAYBOOK.resolveSibling('env/testbed.groovy')}'
                vars {
                    portalContainer = '$container'
                    portalImage = '${Testbed.registry()}/tyk-portal'
                    portalUrl = 'http://127.0.0.1:$port'
                    dockerConfig = '${Testbed.get('DOCKER_CONFIG')}'
                    themeDir = '${dir.resolve('themes')}'
                    dbPort = ${Testbed.get('POSTGRES_PORT')}
                    dbName = '$database'
                    dbUser = '${Testbed.get('POSTGRES_USER')}'
                }
            }
            """.stripIndent())
        cli = new CliRunner(dir.resolve('store'), [LOCKSTEP_SECRET_TESTBED_DB_PASSWORD: Testbed.get('POSTGRES_PASSWORD')])
    }

    def cleanup() {
        Testbed.dockerQuietly('rm', '-f', container)
        Testbed.dropDatabase(DB_ENGINE, database)
    }

    /** The portal as its operators started it: docker run on the host network, settings in env. */
    private void startPortal(String version) {
        Testbed.docker('pull', Testbed.image('tyk-portal', version))
        List<String> settings = Testbed.portalDatabase(DB_ENGINE, database).collectMany { k, v -> ['-e', "$k=$v".toString()] }
        Testbed.docker(*(['run', '-d', '--name', container, '--network', 'host', '--restart', 'no',
                          '-e', 'PORTAL_LISTEN_ADDRESS=127.0.0.1', '-e', "PORTAL_PORT=$port".toString(),
                          '-v', "${dir.resolve('themes')}:/opt/portal/themes".toString()] +
                settings + [Testbed.image('tyk-portal', version)]) as String[])
        assert Testbed.awaitOk("http://127.0.0.1:$port/version") == version
        psql("INSERT INTO portal_users (id, email) VALUES (1, 'ada@example.com'), (2, 'grace@example.com')")
        psql("INSERT INTO portal_api_products (id, name) VALUES (1, 'Payments'), (2, 'Ledger')")
    }

    def "the upgrade waits for each approval, then the new portal serves with the data migrated"() {
        given:
        startPortal('1.13.0')

        when: 'started without approvals: it checks, then waits before changing anything'
        def first = lockstep('run', PLAYBOOK.toString(), '-e', env.toString(), '-p', 'version=1.14.1')
        String runId = (first.out =~ /lockstep approve (\S+) release-notes/)[0][1]

        then:
        first.code == 10
        finished(runId) == ['preflight/current-version', 'preflight/admin-answers', 'preflight/database-settings']
        get('/version') == '1.13.0'

        when: 'the release notes are approved: the portal is upgraded, then the theme gate waits'
        def second = lockstep('approve', runId, 'release-notes')

        then:
        second.code == 10
        second.out.contains("lockstep approve $runId theme-upgrade")
        get('/version') == '1.14.1'

        when:
        def third = lockstep('approve', runId, 'theme-upgrade')
        def last = lockstep('approve', runId, 'post-upgrade-checks')

        then:
        third.code == 10
        last.code == 0
        finished(runId) == ['preflight/current-version', 'preflight/admin-answers', 'preflight/database-settings',
                            'prepare/image', 'stop/portal', 'backup/database', 'backup/theme', 'upgrade/portal',
                            'upgrade/migration', 'verify/admin-portal', 'verify/version', 'verify/no-errors-or-warnings']

        and: 'the new image runs with the container\'s settings, and the migration kept the data'
        Testbed.docker('inspect', '--format', '{{.Config.Image}}', container).trim() == Testbed.image('tyk-portal', '1.14.1')
        psql("SELECT version FROM schema_version WHERE dirty = 0 ORDER BY version") == '1.13.0\n1.14.0\n1.14.1'
        psql("SELECT id, email FROM portal_users ORDER BY id") == '1|ada@example.com\n2|grace@example.com'
        psql("SELECT name, policy_status FROM portal_api_products ORDER BY id") == 'Payments|active\nLedger|active'

        and: 'the backup is in the run\'s artifacts, with its checksum'
        Map backup = outputs(runId, 'backup/database')
        backup.sha256 ==~ /[0-9a-f]{64}/
        backup.sizeBytes > 0
    }

    def "a failed migration is rolled back: new portal removed, database restored, previous image started, version checked"() {
        given:
        startPortal('1.14.1')
        String rowsBefore = psql("SELECT id, email FROM portal_users ORDER BY id")
        long since = Instant.now().epochSecond

        when:
        def run = lockstep('run', PLAYBOOK.toString(), '-e', env.toString(), '-p', 'version=1.14.2-broken',
                '--approve', 'release-notes')
        String runId = run.runId
        long until = Instant.now().epochSecond + 1

        then: 'the migration check saw the failure the guide names'
        run.code == 3
        run.out.contains('failed at upgrade/migration')
        run.out.contains('failed to migrate database')

        and: 'the journal undid the steps last first, and the version check ran last'
        compensated(runId) == ['upgrade/portal', 'backup/theme', 'backup/database', 'stop/portal', 'preflight/current-version']

        and: 'on the daemon: the new container went, the previous was created, and only after the restore it started'
        List<Map> events = Testbed.containerEvents(container, since, until)
        List<String> actions = events*.action
        actions.takeRight(3) == ['destroy', 'create', 'start']
        long restored = recordNanos(runId, 'COMPENSATION_FINISHED', 'backup/database')
        events[-2].nanos < restored
        restored < events[-1].nanos

        and: 'the database is as it was before the upgrade'
        psql("SELECT version, dirty FROM schema_version ORDER BY version") == '1.13.0|0\n1.14.0|0\n1.14.1|0'
        psql("SELECT count(*) FROM information_schema.tables WHERE table_name = 'portal_custom_pages'") == '0'
        psql("SELECT count(*) FROM information_schema.columns WHERE table_name = 'portal_users' AND column_name = 'last_login_at'") == '0'
        psql("SELECT id, email FROM portal_users ORDER BY id") == rowsBefore

        and: 'the previous portal serves again'
        Testbed.docker('inspect', '--format', '{{.Config.Image}} {{.State.Running}}', container).trim() ==
                "${Testbed.image('tyk-portal', '1.14.1')} true"
        get('/version') == '1.14.1'
        Testbed.http("http://127.0.0.1:$port/portal-admin").status == 200
    }

    private String psql(String sql) {
        Testbed.psql(database, sql)
    }

    private String get(String path) {
        Testbed.awaitOk("http://127.0.0.1:$port$path")
    }

    private Map lockstep(String command, String... args) {
        cli.run(command, args)
    }

    private List<String> finished(String runId) { cli.finished(runId) }

    private List<String> compensated(String runId) { cli.compensated(runId) }

    private Map outputs(String runId, String stepId) { cli.outputs(runId, stepId) }

    private long recordNanos(String runId, String type, String stepId) { cli.recordNanos(runId, type, stepId) }
}
