package io.lockstep.playbooks.tyk

import spock.lang.AutoCleanup
import spock.lang.Specification
import spock.lang.TempDir
import spock.lang.Unroll

import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.CopyOnWriteArrayList

/**
 * playbooks/tyk-portal/kubernetes.groovy through the CLI, with the tyk-dev-portal chart and with the
 * tyk-stack chart, on the fake API server (README, "Kubernetes"): Helm's real upgrade, the
 * portal's database on the testbed's PostgreSQL reached by exec into its pod. A portal pod that
 * starts stands for the portal's migration by writing its version into the schema; a broken one
 * also creates a table and then crashes, as a migration that fails halfway.
 */
class PortalKubernetesPlaybookSpec extends Specification {

    static final Path PLAYBOOK = Path.of('tyk-portal/kubernetes.groovy').toAbsolutePath()
    static final Path CHARTS = Path.of('../src/testbed/charts').toAbsolutePath().normalize()
    static final List<String> APPROVALS = ['--approve', 'release-notes', '--approve', 'theme-upgrade',
                                           '--approve', 'post-upgrade-checks']

    @TempDir
    Path dir

    @AutoCleanup
    KubeTestbed cluster

    String database = "lockstep_portal_${Long.toString(System.nanoTime(), 36)}"
    CliRunner cli
    /** What each portal pod found when it started: {@code version: tables of the schema}. */
    List<String> starts = new CopyOnWriteArrayList<>()

    def setup() {
        cluster = new KubeTestbed(dir).withDatabasePod()
        cluster.rollouts.onStart = { String image -> migrate(image) }
        Testbed.hostsPsql(Testbed.get('HOSTS_POSTGRES_DB'), "CREATE DATABASE $database")
        psql("CREATE TABLE schema_version (version text PRIMARY KEY); " +
                "CREATE TABLE portal_users (id int PRIMARY KEY, email text); " +
                "INSERT INTO portal_users VALUES (1, 'ada@example.com'), (2, 'grace@example.com')")
        cli = new CliRunner(dir.resolve('store'), [LOCKSTEP_SECRET_TESTBED_DB_PASSWORD: Testbed.get('HOSTS_POSTGRES_PASSWORD')])
    }

    def cleanup() {
        Testbed.hostsPsql(Testbed.get('HOSTS_POSTGRES_DB'), "DROP DATABASE IF EXISTS $database WITH (FORCE)")
    }

    @Unroll
    def "#chart chart: the portal is upgraded from 1.14.0 to 1.14.1 through helm upgrade; the schema is migrated and the rows kept"() {
        given:
        install(chart, '1.14.0')

        when:
        def run = cli.run(*(['run', PLAYBOOK.toString(), '-e', environment(chart).toString(), '-p', 'version=1.14.1'] + APPROVALS))

        then:
        run.code == 0
        cli.finished(run.runId) == ['preflight/current', 'preflight/probes', 'preflight/database-settings', 'backup/database', 'upgrade/release',
                                    'upgrade/restore-database', 'upgrade/stop-portal', 'upgrade/portal', 'upgrade/migration',
                                    'verify/no-errors-or-warnings']
        cli.outputs(run.runId, 'upgrade/release').previousRevision == 1
        cli.outputs(run.runId, 'upgrade/release').revision == 2

        and: 'the release runs the new image, and nothing else in it changed'
        cluster.images(deployment) == ['tykio/portal:1.14.1']
        others == [] || cluster.images('gateway-tyk-tyk-gateway') == others

        and:
        psql('SELECT version FROM schema_version ORDER BY version') == '1.14.0\n1.14.1'
        psql('SELECT id, email FROM portal_users ORDER BY id') == '1|ada@example.com\n2|grace@example.com'

        where:
        chart            || deployment                   | others
        'tyk-dev-portal' || 'dev-portal-tyk-dev-portal' | []
        'tyk-stack'      || 'dev-portal-tyk'            | ['tykio/tyk-gateway:v5.3.0']
    }

    def "a failed migration is rolled back in the guide's order: portal stopped, database restored, previous release redeployed"() {
        given:
        install('tyk-dev-portal', '1.14.1')
        String rowsBefore = psql('SELECT id, email FROM portal_users ORDER BY id')
        starts.clear()

        when:
        def run = cli.run('run', PLAYBOOK.toString(), '-e', environment('tyk-dev-portal').toString(), '-p', 'version=1.14.2-broken',
                '--approve', 'release-notes')

        then: 'the new portal crashed and the rollout failed with its reason'
        run.code == 3
        run.out.contains('failed at upgrade/portal')
        run.out.contains('CrashLoopBackOff')

        and: 'the undo ran last step first: stop, restore, then the release upgraded back, then the wait for it'
        cli.compensated(run.runId) == ['upgrade/stop-portal', 'upgrade/restore-database', 'upgrade/release', 'preflight/current']

        and: 'the previous portal started only once the database was restored'
        starts == ['1.14.2-broken on 1.14.1', '1.14.1 on 1.14.1']

        and: 'the database is as it was before the upgrade, and the release runs the previous image'
        psql('SELECT version FROM schema_version ORDER BY version') == '1.14.1'
        psql("SELECT count(*) FROM information_schema.tables WHERE table_name = 'portal_custom_pages'") == '0'
        psql('SELECT id, email FROM portal_users ORDER BY id') == rowsBefore
        cluster.images('dev-portal-tyk-dev-portal') == ['tykio/portal:1.14.1']
        cluster.podImages(podLabels('tyk-dev-portal')) == ['tykio/portal:1.14.1']
    }

    def "the preflight refuses probes that start before the portal is up, before anything changes"() {
        given:
        install('tyk-dev-portal', '1.14.0', ['readinessProbe.initialDelaySeconds': 5])

        when:
        def run = cli.run('run', PLAYBOOK.toString(), '-e', environment('tyk-dev-portal').toString(), '-p', 'version=1.14.1',
                '--approve', 'release-notes')

        then:
        run.code == 3
        run.out.contains('failed at preflight/probes')
        run.out.contains('readiness probe')
        cluster.images('dev-portal-tyk-dev-portal') == ['tykio/portal:1.14.0']
        psql('SELECT version FROM schema_version ORDER BY version') == '1.14.0'
    }

    def "#chart chart: a portal still on the chart's default SQLite is refused at the preflight, before anything changes"() {
        given:
        install(chart, '1.14.0', [(dialect): 'sqlite3'])

        when:
        def run = cli.run('run', PLAYBOOK.toString(), '-e', environment(chart).toString(), '-p', 'version=1.14.1',
                '--approve', 'release-notes')

        then:
        run.code == 3
        run.out.contains("failed at preflight/database-settings: container dev-portal of deployment ${deployment} (namespace tyk) " +
                "environment: PORTAL_DATABASE_DIALECT ('sqlite3') does not match /^(postgres|mysql)\$/")
        !run.out.contains('host=tyk-postgres')
        cluster.images(deployment) == ['tykio/portal:1.14.0']
        psql('SELECT version FROM schema_version ORDER BY version') == '1.14.0'

        where:
        chart            | dialect                            || deployment
        'tyk-dev-portal' | 'database.dialect'                 || 'dev-portal-tyk-dev-portal'
        'tyk-stack'      | 'tyk-dev-portal.database.dialect'  || 'dev-portal-tyk'
    }

    /** What a portal pod does as it starts: its migration, noted with the tables it found. */
    private void migrate(String image) {
        if (!image.startsWith('tykio/portal:')) {
            return
        }
        String version = image.substring('tykio/portal:'.length())
        starts << "${version} on ${psql('SELECT string_agg(version, \',\' ORDER BY version) FROM schema_version')}".toString()
        if (version.contains('broken')) {
            psql("CREATE TABLE IF NOT EXISTS portal_custom_pages (id int); INSERT INTO schema_version VALUES ('1.14.2') ON CONFLICT DO NOTHING")
        } else {
            psql("INSERT INTO schema_version VALUES ('${version}') ON CONFLICT DO NOTHING")
        }
    }

    /** The release as an operator installed it: helm upgrade --install through a one-step playbook. */
    private void install(String chart, String version, Map<String, Object> more = [:]) {
        Path env = environment(chart)
        Path playbook = dir.resolve('install.groovy')
        Files.writeString(playbook, """\
            playbook('install') {
                phase('install', on: target('cluster')) {
                    helmUpgrade 'release', release: vars.release, chart: vars.chart, values: vars.valuesFiles, install: true,
                            set: [(vars.imageTagPath): '${version}'] + ${more.inspect()}
                }
            }""".stripIndent())
        def run = cli.run('run', playbook.toString(), '-e', env.toString())
        assert run.code == 0: run.out
        String deployment = chart == 'tyk-stack' ? 'dev-portal-tyk' : 'dev-portal-tyk-dev-portal'
        long until = System.currentTimeMillis() + 10_000
        while (cluster.podImages(podLabels(chart)).isEmpty()) {
            assert System.currentTimeMillis() < until: "no pod of ${deployment} started"
            sleep(50)
        }
    }

    /** The labels of the portal's pods, as each test chart sets them. */
    private static Map<String, String> podLabels(String chart) {
        chart == 'tyk-stack' ? [app: 'dev-portal-tyk'] : ['app.kubernetes.io/instance': 'tyk-dev-portal']
    }

    /** The playbook's environment for this chart, with this spec's cluster and database. */
    private Path environment(String chart) {
        Path env = dir.resolve("${chart}.groovy")
        Files.writeString(env, """\
            environment('e2e-$chart') {
                inherits '${PLAYBOOK.resolveSibling("env/fake-cluster-${chart == 'tyk-stack' ? 'stack' : 'dev-portal'}.groovy")}'
                vars {
                    // Absolute, for the one-step install playbook in this spec's directory too.
                    chart = '${CHARTS.resolve(chart)}'
                    valuesFiles = ['${PLAYBOOK.resolveSibling("kubernetes/values-${chart == 'tyk-stack' ? 'stack' : 'dev-portal'}.yaml")}']
                    dbName = '$database'
                    dbUser = '${Testbed.get('HOSTS_POSTGRES_USER')}'
                }
                targets {
                    target 'cluster', roles: ['kubernetes'], kubeconfig: '${cluster.kubeconfig}', context: 'fake', namespace: 'tyk'
                }
            }""".stripIndent())
        env
    }

    private String psql(String sql) {
        Testbed.hostsPsql(database, sql)
    }
}
