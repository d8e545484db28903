// Upgrades a Tyk Developer Portal started with `docker run` (upgrade guide, "Docker Run"), and
// rolls it back in the order of the troubleshooting guide: stop and remove the new portal, restore
// the database backup, start the previous image, check that it serves its version again.
//
//   lockstep plan playbooks/tyk-portal/docker.groovy -e testbed -p version=1.14.1
//   lockstep run  playbooks/tyk-portal/docker.groovy -e testbed -p version=1.14.1
//
// The portal migrates its database forward when it starts (GORM AutoMigrate) and an older portal
// cannot run on the newer schema. So the backup is taken with the portal stopped, and a rollback
// restores the database before the previous image starts: compensations run last step first, and
// the recreated container comes back stopped because it was stopped when it was recreated.

playbook('tyk-portal-docker') {
    description 'Upgrade the Tyk Developer Portal run with docker run; roll back by restoring its database'

    param 'version', String, required: true, description: 'portal version to upgrade to, e.g. 1.14.1'

    String container = vars.portalContainer
    String image = "${vars.portalImage}:${params.version}"
    String portal = vars.portalUrl

    preflight {
        // "Note your current Portal version." After a rollback, the last undo to run checks that
        // this version serves again.
        httpCheck('current-version', url: "${portal}/version", capture: '^\\s*(\\S+)') {
            compensate('check that the portal reports the version noted before the upgrade') {
                httpCheck url: "${portal}/version", expectBody: "^${output('preflight/current-version', 'captured')}\\s*\$",
                        retries: 60, interval: '1s'
            }
        }
        httpCheck 'admin-answers', url: "${portal}/portal-admin"
        // From 1.14.0 the portal does not start without these, or on SQLite.
        assertContainerEnv 'database-settings', container: container, show: ['PORTAL_DATABASE_DIALECT'],
                matches: [PORTAL_DATABASE_DIALECT: '^(postgres|mysql)$', PORTAL_DATABASE_CONNECTIONSTRING: '.+']
    }

    approve 'release-notes',
            prompt: "Release notes read for every version up to ${params.version}, breaking changes included?"

    phase('prepare') {
        // Pulled while the old portal still serves: the download is not downtime.
        pullImage 'image', image: image, dockerConfig: vars.dockerConfig
    }

    phase('stop') {
        stopContainer 'portal', container: container                  // undo: start the previous portal
    }

    phase('backup') {
        backupDatabase 'database', engine: vars.dbEngine, host: vars.dbHost, port: vars.dbPort,
                database: vars.dbName, user: vars.dbUser, password: secret('portalDbPassword')
        backupFiles 'theme', path: vars.themeDir
    }

    phase('upgrade') {
        recreateContainer 'portal', container: container, image: image  // same docker run options, new tag
        // The migration log lines the troubleshooting guide greps for.
        assertContainerLogClean 'migration', container: container, since: 'upgrade/portal', follow: '60s',
                errors: ['(?i)failed to migrate', '(?i)failed to connect', '\\[error\\]', '(?i)level=fatal', '^panic:'],
                expect: ['AutoMigrate', 'Tyk Developer Portal started']
    }

    verify {
        // Post-upgrade verification 1: the Admin Portal is accessible.
        httpCheck 'admin-portal', url: "${portal}/portal-admin", retries: 10, interval: '500ms'
        httpCheck 'version', url: "${portal}/version", expectBody: "^${params.version}\$"
        // Verification 6: no ERROR or WARN lines since the new portal started.
        assertContainerLogClean 'no-errors-or-warnings', container: container, since: 'upgrade/portal',
                errors: ['(?i)level=(error|warn|warning|fatal)', '^panic:']
    }

    approve 'theme-upgrade',
            prompt: "Default theme changes of ${params.version} merged into the custom theme (backup in backup/theme)?"

    // Verifications 2 to 5 need a person at the Admin and Live Portal.
    approve 'post-upgrade-checks',
            prompt: 'Providers show a healthy sync, existing consumers can log in, published API Products are ' +
                    'visible in the catalog, and the theme renders without template errors?'
}
