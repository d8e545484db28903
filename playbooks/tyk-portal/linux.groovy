// Upgrades a Tyk Developer Portal installed from a package on a Linux host (upgrade guide, "Linux":
// Red Hat / CentOS with rpm, Ubuntu / Debian with dpkg), and rolls it back the way the guide's
// "Rollback Procedure" for Linux does: restore the database, downgrade the package, restart.
//
//   lockstep plan playbooks/tyk-portal/linux.groovy -e testbed-debian -p version=1.14.1
//   lockstep run  playbooks/tyk-portal/linux.groovy -e testbed-rhel -p version=1.14.1
//
// The host is the environment's one target with the role `portal`. Its `packageManager` says how
// the package is installed: `dpkg` or `rpm` download the guide's package file from `packageRepo`
// (`dpkg -i`, `rpm -Uvh`); `apt`, `yum` or `dnf` install from the host's configured repository,
// which makes the rollback the guide's `apt-get install tyk-portal=<PREVIOUS_VERSION>` or
// `yum downgrade tyk-portal-<PREVIOUS_VERSION>`.
//
// The portal migrates its database forward when it starts, and an older portal cannot run on the
// newer schema. So the portal is stopped first, the new package is installed while it is stopped,
// the database is backed up, and only then is the portal started. Compensations run last step
// first, so a rollback stops the new portal, restores the database, downgrades the package and
// starts the previous portal: the guide's order.

playbook('tyk-portal-linux') {
    description 'Upgrade the Tyk Developer Portal installed from an rpm or deb package; roll back by restoring its database'

    param 'version', String, required: true, description: 'portal version to upgrade to, e.g. 1.14.1'

    def portalHost = targets(role: 'portal')
    String manager = portalHost ? portalHost[0].packageManager : 'dpkg'
    String repo = portalHost ? portalHost[0].packageRepo : ''
    // The guide's file names: portal-<VERSION>-1.x86_64.rpm and portal_<VERSION>_amd64.deb. rpm
    // reports VERSION-RELEASE, so an rpm version is given with its release (1.14.1-1), which is also
    // what the undo fills in for the version to go back to.
    String version = manager == 'rpm' && !params.version.contains('-') ? "${params.version}-1" : params.version
    String file = manager == 'rpm' ? "${repo}/rpm/tyk-portal-{version}.x86_64.rpm"
            : manager == 'dpkg' ? "${repo}/deb/tyk-portal_{version}_amd64.deb" : null
    String portal = vars.portalUrl    // as seen on the host
    String conf = '/opt/portal/portal.conf'

    preflight(on: portalHost) {
        // "Note your current Portal version." After a rollback, the last undo to run checks that
        // this version serves again.
        ssh('current-version', args: ['curl', '-fsS', '--max-time', '10', "${portal}/version"]) {
            compensate('check that the portal reports the version noted before the upgrade') {
                ssh args: ['sh', '-c', 'want=$(printf %s "$2"); for i in $(seq 1 60); do ' +
                        'v=$(curl -fsS --max-time 5 "$1/version" 2>/dev/null) && [ "$v" = "$want" ] && exit 0; sleep 1; done; ' +
                        'echo "the portal reports ${v:-nothing}, not $want" >&2; exit 1',
                        'sh', portal, output('preflight/current-version', 'stdout')]
            }
        }
        ssh('admin-answers', args: ['curl', '-fsS', '--max-time', '10', '-o', '/dev/null', "${portal}/portal-admin"]) {
            readOnly()
        }
        // From 1.14.0 the portal does not start without these, or on SQLite.
        ssh('database-settings', sudo: true, args: ['sh', '-c',
                'grep -Eq "^PORTAL_DATABASE_DIALECT=\\"?(postgres|mysql)\\"?$" "$1" && ' +
                'grep -Eq "^PORTAL_DATABASE_CONNECTIONSTRING=.+" "$1" || ' +
                '{ echo "$1 sets no PORTAL_DATABASE_DIALECT (postgres or mysql) and PORTAL_DATABASE_CONNECTIONSTRING:' +
                ' from 1.14.0 the portal refuses SQLite" >&2; exit 1; }', 'sh', conf]) {
            readOnly()
        }
    }

    approve 'release-notes',
            prompt: "Release notes read for every version up to ${params.version}, breaking changes included, " +
                    "and ${conf} checked for the options they change?"

    phase('stop', on: portalHost) {
        service 'portal', unit: 'portal.service', action: 'stop'           // undo: start the previous portal
    }

    phase('install', on: portalHost) {
        backupRemoteFile 'config', path: conf
        // Installed while the portal is stopped: nothing starts it yet, so nothing migrates.
        installPackage 'package', package: 'tyk-portal', version: version, manager: manager, url: file
    }

    // After the install, so that a rollback restores the database before it downgrades the package.
    // The dump runs where Lockstep runs, through the database's address.
    phase('backup') {
        backupDatabase 'database', engine: vars.dbEngine, host: vars.dbHost, port: vars.dbPort,
                database: vars.dbName, user: vars.dbUser, password: secret('portalDbPassword')
    }

    phase('upgrade', on: portalHost) {
        service 'start', unit: 'portal.service', action: 'start', within: '60s'
        // The migration log lines the troubleshooting guide greps for.
        assertJournalClean 'migration', unit: 'portal.service', since: 'upgrade/start', follow: '60s',
                errors: ['(?i)failed to migrate', '(?i)failed to connect', '\\[error\\]', '(?i)level=fatal', 'panic:'],
                expect: ['AutoMigrate', 'Tyk Developer Portal started']
    }

    verify(on: portalHost) {
        // Post-upgrade verification 1: the Admin Portal is accessible.
        ssh('admin-portal', args: ['curl', '-fsS', '--max-time', '10', '--retry', '10', '--retry-connrefused',
                                   '--retry-delay', '1', '-o', '/dev/null', "${portal}/portal-admin"]) {
            readOnly()
        }
        ssh('version', args: ['sh', '-c', 'v=$(curl -fsS --max-time 10 "$1/version") && [ "$v" = "$2" ] || ' +
                '{ echo "the portal reports ${v:-nothing}, not $2" >&2; exit 1; }', 'sh', portal, params.version]) {
            readOnly()
        }
        // Verification 6: no ERROR or WARN lines since the new portal started.
        assertJournalClean 'no-errors-or-warnings', unit: 'portal.service', since: 'upgrade/start',
                errors: ['(?i)level=(error|warn|warning|fatal)', 'panic:']
    }

    approve 'theme-upgrade',
            prompt: "Default theme changes of ${params.version} merged into the custom theme?"

    // Verifications 2 to 5 need a person at the Admin and Live Portal.
    approve 'post-upgrade-checks',
            prompt: 'Providers show a healthy sync, existing consumers can log in, published API Products are ' +
                    'visible in the catalog, and the theme renders without template errors?'
}
