package io.lockstep.playbooks.tyk

import spock.lang.Specification
import spock.lang.TempDir
import spock.lang.Unroll

import java.nio.file.Files
import java.nio.file.Path

/**
 * playbooks/tyk-portal/linux.groovy through the CLI on the testbed's Linux hosts, with the portal's
 * database on the hosts' PostgreSQL: as on Debian (host 1, the .deb file with dpkg) and as on Red Hat
 * (host 2, yum from the package server's repository). An upgrade migrates the schema and keeps the
 * rows; a version whose migration fails is rolled back in the guide's order: the new portal stopped,
 * the database restored, the package downgraded, the previous portal started.
 */
class PortalLinuxPlaybookSpec extends Specification {

    static final Path PLAYBOOK = Path.of('tyk-portal/linux.groovy').toAbsolutePath()
    static final List<String> APPROVALS = ['--approve', 'release-notes', '--approve', 'theme-upgrade',
                                           '--approve', 'post-upgrade-checks']

    @TempDir
    Path dir

    String database = "lockstep_portal_${Long.toString(System.nanoTime(), 36)}"
    CliRunner cli
    int host

    def setup() {
        Testbed.hostsPsql(Testbed.get('HOSTS_POSTGRES_DB'), "CREATE DATABASE $database")
        cli = new CliRunner(dir.resolve('store'), [LOCKSTEP_SECRET_TESTBED_DB_PASSWORD: Testbed.get('HOSTS_POSTGRES_PASSWORD')])
    }

    def cleanup() {
        if (host) {
            Testbed.onHost(host, 'systemctl stop portal.service 2>/dev/null; dpkg --purge tyk-portal >/dev/null 2>&1; ' +
                    'rpm -e tyk-portal >/dev/null 2>&1; rm -rf /opt/portal; systemctl reset-failed portal.service 2>/dev/null; true')
        }
        Testbed.hostsPsql(Testbed.get('HOSTS_POSTGRES_DB'), "DROP DATABASE IF EXISTS $database WITH (FORCE)")
    }

    @Unroll
    def "#system: the portal is upgraded from 1.14.0 to 1.14.1; the schema is migrated and the rows kept"() {
        given:
        install(system, '1.14.0')

        when:
        def run = cli.run(*(['run', PLAYBOOK.toString(), '-e', environment(system).toString(), '-p', 'version=1.14.1'] + APPROVALS))

        then:
        run.code == 0
        cli.finished(run.runId) == ['preflight/current-version', 'preflight/admin-answers', 'preflight/database-settings',
                                    'stop/portal', 'install/config', 'install/package', 'backup/database', 'upgrade/start',
                                    'upgrade/migration', 'verify/admin-portal', 'verify/version', 'verify/no-errors-or-warnings']

        and:
        installed(system) == expected
        portalVersion() == '1.14.1'
        psql("SELECT version FROM schema_version WHERE dirty = 0 ORDER BY version") == '1.13.0\n1.14.0\n1.14.1'
        psql("SELECT id, email FROM portal_users ORDER BY id") == '1|ada@example.com\n2|grace@example.com'
        Testbed.onHost(host, 'grep -c "^PORTAL_DATABASE_" /opt/portal/portal.conf').trim() == '2'

        where:
        system   || expected
        'debian' || '1.14.1'
        'rhel'   || '1.14.1-1'
    }

    @Unroll
    def "#system: a failed migration is rolled back: database restored, then the package downgraded, then the previous portal started"() {
        given:
        install(system, '1.14.1')
        String rowsBefore = psql("SELECT id, email FROM portal_users ORDER BY id")

        when:
        def run = cli.run('run', PLAYBOOK.toString(), '-e', environment(system).toString(), '-p', 'version=1.14.2-broken',
                '--approve', 'release-notes')

        then: 'the new portal did not stay up, and was stopped again'
        run.code == 3
        run.out.contains('failed at upgrade/start')
        run.out.contains('(portal.service stopped again)')

        and: 'the undo ran last step first: the restore before the downgrade, the start of the previous portal last'
        cli.compensated(run.runId) == ['backup/database', 'install/package', 'install/config', 'stop/portal',
                                       'preflight/current-version']
        run.out.contains("downgrade tyk-portal to $previous on ")

        and: 'the database is as it was before the upgrade, and the previous portal serves on it'
        psql("SELECT version, dirty FROM schema_version ORDER BY version") == '1.13.0|0\n1.14.0|0\n1.14.1|0'
        psql("SELECT count(*) FROM information_schema.tables WHERE table_name = 'portal_custom_pages'") == '0'
        psql("SELECT id, email FROM portal_users ORDER BY id") == rowsBefore
        installed(system) == previous
        portalVersion() == '1.14.1'
        Testbed.onHost(host, 'systemctl is-active portal.service').trim() == 'active'

        where:
        system   || previous
        'debian' || '1.14.1'
        'rhel'   || '1.14.1-1'
    }

    /** The environment of the playbook for this system, with the testbed's ports and paths. */
    private Path environment(String system) {
        Path env = dir.resolve("${system}.groovy")
        Files.writeString(env, """\
            environment('e2e-$system') {
                inherits '${PLAYBOOK.resolveSibling("env/testbed-${system}.groovy")}'
                vars {
                    dbHost = '${Testbed.get('HOSTS_POSTGRES_HOST')}'
                    dbPort = ${Testbed.get('HOSTS_POSTGRES_PORT')}
                    dbName = '$database'
                    dbUser = '${Testbed.get('HOSTS_POSTGRES_USER')}'
                }
                targets {
                    target 'portal-1', roles: ['portal'], host: '127.0.0.1', port: ${Testbed.hostPort(host)}, user: '${Testbed.get('SSH_USER')}',
                            identity: '${Testbed.get('SSH_KEY')}', knownHosts: '${Testbed.get('KNOWN_HOSTS')}',
                            packageManager: '${system == 'debian' ? 'dpkg' : 'yum'}', packageRepo: '${Testbed.get('PACKAGE_URL_ON_HOSTS')}'
                }
            }
            """.stripIndent())
        env
    }

    /** The portal as its operators installed it: the package, portal.conf naming the database, started. */
    private void install(String system, String version) {
        host = system == 'debian' ? 1 : 2
        String repo = Testbed.get('PACKAGE_URL_ON_HOSTS')
        String connection = "host=${Testbed.get('HOSTS_POSTGRES_HOST_ON_HOSTS')} port=${Testbed.get('HOSTS_POSTGRES_PORT_ON_HOSTS')} " +
                "dbname=$database user=${Testbed.get('HOSTS_POSTGRES_USER')} password=${Testbed.get('HOSTS_POSTGRES_PASSWORD')} sslmode=disable"
        Testbed.onHost(host, (system == 'debian'
                ? "curl -fsS -o /tmp/portal.deb $repo/deb/tyk-portal_${version}_amd64.deb && dpkg -i /tmp/portal.deb >/dev/null && rm /tmp/portal.deb"
                : "dnf install -y -q tyk-portal-$version >/dev/null") +
                " && printf '%s\\n' PORTAL_DATABASE_DIALECT=postgres 'PORTAL_DATABASE_CONNECTIONSTRING=\"$connection\"' >>/opt/portal/portal.conf" +
                ' && systemctl start portal.service')
        assert portalVersion() == version
        psql("INSERT INTO portal_users (id, email) VALUES (1, 'ada@example.com'), (2, 'grace@example.com')")
    }

    private String installed(String system) {
        Testbed.onHost(host, system == 'debian' ? "dpkg-query -W -f='\${Version}' tyk-portal" : "rpm -q --qf '%{VERSION}-%{RELEASE}' tyk-portal").trim()
    }

    private String portalVersion() {
        Testbed.onHost(host, 'curl -fs --retry 20 --retry-connrefused --retry-delay 1 http://127.0.0.1:3001/version').trim()
    }

    private String psql(String sql) {
        Testbed.hostsPsql(database, sql)
    }
}
