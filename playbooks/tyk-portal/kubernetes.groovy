// Upgrades a Tyk Developer Portal installed with Helm (upgrade guide, "Kubernetes"): the
// tyk-dev-portal chart, or the tyk-stack chart with the portal as one of its components. The
// environment names the release, the chart and the values path of the portal's image tag
// (`image.tag`, or `global.components.devPortal.image.tag` for tyk-stack).
//
//   lockstep plan playbooks/tyk-portal/kubernetes.groovy -e fake-cluster-dev-portal -p version=1.14.1
//   lockstep run  playbooks/tyk-portal/kubernetes.groovy -e fake-cluster-stack -p version=1.14.1
//
// The portal migrates its database forward when it starts, and an older portal cannot run on the
// newer schema. The troubleshooting guide's rollback is: scale the portal to zero, restore the
// database, redeploy the previous release, verify. A rollback undoes steps last first, so the two
// onRollback steps come after the upgrade: they run before the release is upgraded back, and the
// backup itself has no undo of its own.

playbook('tyk-portal-kubernetes') {
    description 'Upgrade the Tyk Developer Portal Helm release; roll back by stopping it, restoring its database and redeploying the previous release'

    param 'version', String, required: true, description: 'portal version to upgrade to, e.g. 1.14.1'

    def cluster = target('cluster')
    String deployment = vars.portalDeployment
    String container = vars.portalContainer

    preflight(on: cluster) {
        // "Note your current Portal version": the release's current chart and values are recorded
        // by the upgrade. After a rollback, the last undo to run waits until the previous portal
        // has rolled out again: the guide's "Verify".
        waitRollout('current', name: deployment, timeout: '2m') {
            compensate('wait until the previous portal has rolled out again') {
                waitRollout name: deployment, timeout: '5m'
            }
        }
        // The guide's note: a portal restarted before it finishes starting never comes up.
        checkProbes 'probes', name: deployment, container: container, minInitialDelaySeconds: 60
        // Mandatory from 1.14.0 on: the portal does not start without them, or on SQLite (the
        // troubleshooting guide, "Check required environment variables"). Read as the pod gets
        // them, from the chart's Secret.
        assertWorkloadEnv 'database-settings', name: deployment, container: container, show: ['PORTAL_DATABASE_DIALECT'],
                matches: [PORTAL_DATABASE_DIALECT: '^(postgres|mysql)$', PORTAL_DATABASE_CONNECTIONSTRING: '.+']
    }

    approve 'release-notes',
            prompt: "Release notes read for every version up to ${params.version}, breaking changes included, " +
                    "and the release's values checked for the options they change?"

    phase('backup', on: cluster) {
        // pg_dump (or mysqldump) runs in the database pod. Restored by upgrade/restore-database.
        backupDatabase('database', engine: vars.dbEngine, via: 'kubernetes', pod: vars.dbPod, container: vars.dbContainer,
                host: vars.dbHost, port: vars.dbPort, database: vars.dbName, user: vars.dbUser,
                password: secret('portalDbPassword')) {
            readOnly()
        }
    }

    phase('upgrade', on: cluster) {
        // helm upgrade <release> <chart> -f values.yaml --set <tag path>=<version>. Undo: upgrade
        // the release back to the chart and values it had (helm-java has no rollback).
        helmUpgrade 'release', release: vars.release, chart: vars.chart, values: vars.valuesFiles,
                set: [(vars.imageTagPath): params.version], timeout: '5m'
        onRollback('restore-database', 'restore the database from backup/database before the previous portal starts',
                dataLoss: "restoring ${vars.dbName} discards every write made after the backup") {
            restoreDatabase from: 'backup/database', password: secret('portalDbPassword')
        }
        onRollback('stop-portal', "scale ${deployment} to zero before its database is restored") {
            scaleWorkload name: deployment, replicas: 0, timeout: '2m'
        }
        // kubectl rollout status deployment/<portal-deployment-name>
        waitRollout 'portal', name: deployment, timeout: '5m'
        // The migration lines the troubleshooting guide greps for in kubectl logs.
        assertPodLogsClean 'migration', name: deployment, container: container, since: 'upgrade/release',
                errors: ['(?i)failed to migrate', '(?i)failed to connect', '\\[error\\]', '(?i)level=fatal', '^panic:'],
                expect: ['AutoMigrate']
    }

    verify(on: cluster) {
        // Verification 6: no ERROR or WARN lines since the new portal started.
        assertPodLogsClean 'no-errors-or-warnings', name: deployment, container: container, since: 'upgrade/release',
                errors: ['(?i)level=(error|warn|warning|fatal)', '^panic:']
    }

    approve 'theme-upgrade',
            prompt: "Default theme changes of ${params.version} merged into the custom theme?"

    // Verifications 1 to 5 need a person at the Admin and Live Portal.
    approve 'post-upgrade-checks',
            prompt: 'The Admin Portal opens, providers show a healthy sync, existing consumers can log in, published ' +
                    'API Products are visible in the catalog, and the theme renders without template errors?'
}
