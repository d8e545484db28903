playbook('demo-service') {
    description 'Upgrade the demo service'

    param 'version', String, required: true, description: 'release to install'
    param 'failHealthCheck', Boolean, default: false
    param 'batchSize', Integer, default: 2

    preflight {
        command 'current-version', args: ['cat', "${vars.serviceDir}/current/VERSION"]
    }
    phase('backup') {
        backupFiles('data', path: "${vars.serviceDir}/data") {
            dataLoss 'writes made after the backup are lost'
        }
    }
    phase('upgrade') {
        command('stop', args: ['bin/service', 'stop']) {
            compensate { command args: ['bin/service', 'start'] }
        }
        step('switch-release') {
            run { ctx -> [previous: 'v1', version: params.version] }
            compensate('point current at the previous release') {
                run { ctx -> ctx.ownOutputs().previous }
                retry attempts: 2, delay: '1s'
            }
            probe { ctx -> ctx.attempt() > 1 ? [previous: 'v1'] : null }
            idempotent true
            retry attempts: 3, delay: '2s', multiplier: 2
            timeout '30s'
            label 'switch the current release'
        }
        command('migrate', args: ['bin/migrate'], dir: "${vars.serviceDir}") {
            irreversible 'migrations only run forward; restore the backup instead'
        }
        command 'connect', shell: "psql postgres://app:${secret('dbPassword')}@db/app"
    }
    approve 'go-live', prompt: 'Release notes reviewed?'
    parallel('checks', maxConcurrency: 2) {
        httpCheck 'health', url: "http://127.0.0.1:${vars.port}/health", requestTimeout: '10s'
        branch('logs') {
            assertLogClean 'log', file: 'logs/service.log'
        }
    }
    rolling('gateways', over: targets(role: 'gateway'), batches: [1, '25%'], maxFailures: '20%') { t ->
        command 'restart', args: ['ssh-stub', t.host, "${t.port}"]
    }
    verify {
        httpCheck 'version', url: "http://127.0.0.1:${vars.port}/version", expectBody: params.version
    }
}
