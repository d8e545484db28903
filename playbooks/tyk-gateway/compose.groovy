// Upgrades a Tyk OSS gateway run by Docker Compose ("Upgrading Tyk", Tyk OSS Gateway, Docker
// compose): back up the gateway config file, change the image tag in docker-compose.yaml, bring
// the service up on it. The guide says `docker compose restart`; a restart keeps the old container
// and so the old image, hence `up -d` of the service, which recreates it on the new tag.
//
//   lockstep plan playbooks/tyk-gateway/compose.groovy -e testbed -p version=5.3.0

playbook('tyk-gateway-compose') {
    description 'Upgrade the Tyk OSS gateway run by Docker Compose'

    param 'version', String, required: true, description: 'image tag to upgrade to, e.g. v5.3.0'

    String file = vars.composeFile
    String service = vars.composeService
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
    }

    phase('prepare') {
        pullImage 'image', image: image, dockerConfig: vars.dockerConfig
    }

    phase('stop') {
        composeStop 'gateway', file: file, service: service
    }

    phase('backup') {
        backupFiles 'config', path: vars.gatewayConfig
    }

    phase('compose-file') {
        composeSetImage 'gateway-image', file: file, service: service, image: image
    }

    phase('upgrade') {
        composePull 'pull', file: file, service: service, dockerConfig: vars.dockerConfig
        composeUp 'gateway', file: file, service: service
        assertContainerLogClean 'started', container: vars.gatewayContainer, since: 'upgrade/gateway', follow: '30s',
                errors: ['(?i)level=(error|fatal)', '^panic:'],
                expect: ['Gateway started', 'Listening on port']
    }

    verify {
        httpCheck 'health', url: "${gateway}/hello", expectBody: '"status":"pass"', retries: 10, interval: '500ms'
        httpCheck 'version', url: "${gateway}/hello", expectBody: "\"version\":\"v?${params.version - ~/^v/}\""
    }
}
