// Upgrades a Tyk Developer Portal run by Docker Compose (upgrade guide, "Docker Compose"): set the
// new image tag of the portal service in docker-compose.yaml, pull it, `up -d` the service. The
// rollback follows the troubleshooting guide: stop the portal, restore the database backup, put
// the previous image tag back in the file, `up -d`, check the version.
//
//   lockstep plan playbooks/tyk-portal/compose.groovy -e testbed -p version=1.14.1
//   lockstep run  playbooks/tyk-portal/compose.groovy -e testbed -p version=1.14.1
//
// Compensations run last step first, so the forward order is chosen for the rollback's sake: the
// portal is stopped before the file is edited and the database backed up, and started again only
// by the last step.

playbook('tyk-portal-compose') {
    description 'Upgrade the Tyk Developer Portal run by Docker Compose; roll back by restoring its database'

    param 'version', String, required: true, description: 'portal version to upgrade to, e.g. 1.14.1'

    String file = vars.composeFile
    String service = vars.composeService
    String image = "${vars.portalImage}:${params.version}"
    String portal = vars.portalUrl

    preflight {
        httpCheck('current-version', url: "${portal}/version", capture: '^\\s*(\\S+)') {
            compensate('check that the portal reports the version noted before the upgrade') {
                httpCheck url: "${portal}/version", expectBody: "^${output('preflight/current-version', 'captured')}\\s*\$",
                        retries: 60, interval: '1s'
            }
        }
        httpCheck 'admin-answers', url: "${portal}/portal-admin"
        assertContainerEnv 'database-settings', container: vars.portalContainer, show: ['PORTAL_DATABASE_DIALECT'],
                matches: [PORTAL_DATABASE_DIALECT: '^(postgres|mysql)$', PORTAL_DATABASE_CONNECTIONSTRING: '.+']
    }

    approve 'release-notes',
            prompt: "Release notes read for every version up to ${params.version}, breaking changes included?"

    phase('prepare') {
        pullImage 'image', image: image, dockerConfig: vars.dockerConfig   // before the downtime
    }

    phase('stop') {
        composeStop 'portal', file: file, service: service                  // undo: up -d (the previous tag by then)
    }

    phase('compose-file') {
        composeSetImage 'portal-image', file: file, service: service, image: image   // undo: the file as it was
    }

    phase('backup') {
        backupDatabase 'database', engine: vars.dbEngine, host: vars.dbHost, port: vars.dbPort,
                database: vars.dbName, user: vars.dbUser, password: secret('portalDbPassword')
        backupFiles 'theme', path: vars.themeDir
    }

    phase('upgrade') {
        composePull 'pull', file: file, service: service, dockerConfig: vars.dockerConfig
        composeUp 'portal', file: file, service: service                    // undo: stop the new portal
        assertContainerLogClean 'migration', container: vars.portalContainer, since: 'upgrade/portal', follow: '60s',
                errors: ['(?i)failed to migrate', '(?i)failed to connect', '\\[error\\]', '(?i)level=fatal', '^panic:'],
                expect: ['AutoMigrate', 'Tyk Developer Portal started']
    }

    verify {
        httpCheck 'admin-portal', url: "${portal}/portal-admin", retries: 10, interval: '500ms'
        httpCheck 'version', url: "${portal}/version", expectBody: "^${params.version}\$"
        assertContainerLogClean 'no-errors-or-warnings', container: vars.portalContainer, since: 'upgrade/portal',
                errors: ['(?i)level=(error|warn|warning|fatal)', '^panic:']
    }

    approve 'theme-upgrade',
            prompt: "Default theme changes of ${params.version} merged into the custom theme (backup in backup/theme)?"

    approve 'post-upgrade-checks',
            prompt: 'Providers show a healthy sync, existing consumers can log in, published API Products are ' +
                    'visible in the catalog, and the theme renders without template errors?'
}
