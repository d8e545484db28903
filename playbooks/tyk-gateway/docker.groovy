// Upgrades a Tyk OSS gateway started with `docker run` ("Upgrading Tyk", Tyk OSS Gateway, Docker):
// back up the gateway config file, run the same container on the new image, check that it
// started and answers. A rollback stops the new gateway, restores the config file, starts the
// previous one and checks that it reports the version noted before.
//
//   lockstep plan playbooks/tyk-gateway/docker.groovy -e testbed -p version=5.3.0
//   lockstep run  playbooks/tyk-gateway/docker.groovy -e testbed -p version=5.3.0

playbook('tyk-gateway-docker') {
    description 'Upgrade the Tyk OSS gateway run with docker run'

    param 'version', String, required: true, description: 'image tag to upgrade to, e.g. v5.3.0'

    String container = vars.gatewayContainer
    String image = "${vars.gatewayImage}:${params.version}"
    String gateway = vars.gatewayUrl

    preflight {
        // The version the gateway reports now; the last undo of a rollback expects it again.
        httpCheck('current-version', url: "${gateway}/hello", expectBody: '"status":"pass"',
                capture: '"version":"([^"]+)"') {
            compensate('check that the gateway reports the version noted before the upgrade') {
                httpCheck url: "${gateway}/hello", retries: 30, interval: '1s',
                        expectBody: "\"version\":\"${output('preflight/current-version', 'captured')}\""
            }
        }
    }

    phase('prepare') {
        pullImage 'image', image: image, dockerConfig: vars.dockerConfig
    }

    phase('stop') {
        stopContainer 'gateway', container: container                 // undo: start the previous gateway
    }

    phase('backup') {
        backupFiles 'config', path: vars.gatewayConfig                // undo: restore tyk.conf
    }

    phase('upgrade') {
        recreateContainer 'gateway', container: container, image: image
        assertContainerLogClean 'started', container: container, since: 'upgrade/gateway', follow: '30s',
                errors: ['(?i)level=(error|fatal)', '^panic:'],
                expect: ['Gateway started', 'Listening on port']
    }

    verify {
        httpCheck 'health', url: "${gateway}/hello", expectBody: '"status":"pass"', retries: 10, interval: '500ms'
        httpCheck 'version', url: "${gateway}/hello", expectBody: "\"version\":\"v?${params.version - ~/^v/}\""
    }
}
