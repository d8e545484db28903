// Upgrades a Tyk hybrid gateway (a data-plane gateway of Tyk Cloud or of a self-managed control
// plane) run with Docker ("Upgrading Tyk", Multi-Cloud / Hybrid Gateway): back up the config,
// re-run the container on the new image with its secret and credentials, then judge success from
// its log ("Gateway started", "Listening on port") and its health check.
//
// The gateway secret, the RPC credentials (organisation id) and the Dashboard API credentials are
// secrets of the environment: they reach the container's environment and nothing else. Plans,
// logs, the journal and reports name them only.
//
//   lockstep run playbooks/tyk-gateway/hybrid-docker.groovy -e testbed-hybrid -p version=5.3.0

playbook('tyk-gateway-hybrid-docker') {
    description 'Upgrade a Tyk hybrid gateway run with Docker, credentials from secrets'

    param 'version', String, required: true, description: 'image tag to upgrade to, e.g. v5.3.0'

    String container = vars.gatewayContainer
    String image = "${vars.gatewayImage}:${params.version}"
    String gateway = vars.gatewayUrl

    preflight {
        httpCheck('current-version', url: "${gateway}/hello", expectBody: '"status":"pass"',
                capture: '"version":"([^"]+)"') {
            compensate('check that the gateway reports the version noted before the upgrade') {
                httpCheck url: "${gateway}/hello", retries: 30, interval: '1s',
                        expectBody: "\"version\":\"${output('preflight/current-version', 'captured')}\""
            }
        }
        assertContainerEnv 'rpc-mode', container: container, show: ['TYK_GW_SLAVEOPTIONS_USERPCRC'],
                matches: [TYK_GW_SLAVEOPTIONS_USERPCRC: '^true$', TYK_GW_SLAVEOPTIONS_CONNECTIONSTRING: '.+']
    }

    phase('prepare') {
        pullImage 'image', image: image, dockerConfig: vars.dockerConfig
    }

    phase('stop') {
        stopContainer 'gateway', container: container
    }

    phase('backup') {
        backupFiles 'config', path: vars.gatewayConfig
    }

    phase('upgrade') {
        recreateContainer 'gateway', container: container, image: image, env: [
                TYK_GW_SECRET             : secret('gatewaySecret'),
                TYK_GW_SLAVEOPTIONS_RPCKEY: secret('rpcCredentials'),
                TYK_GW_SLAVEOPTIONS_APIKEY: secret('apiCredentials'),
        ]
        // "If you don't see any connectivity errors, and the log output ends with ... Gateway started
        // ... Listening on port, then the Gateway has successfully re-started."
        assertContainerLogClean 'connected', container: container, since: 'upgrade/gateway', follow: '30s',
                errors: ['(?i)level=(error|fatal)', '(?i)(connection|login) (refused|failed)', '^panic:'],
                expect: ['Gateway started', 'Listening on port']
    }

    verify {
        httpCheck 'health', url: "${gateway}/hello", expectBody: '"status":"pass"', retries: 10, interval: '500ms'
        httpCheck 'version', url: "${gateway}/hello", expectBody: "\"version\":\"v?${params.version - ~/^v/}\""
    }
}
