// Upgrades a Tyk OSS gateway installed with Helm (upgrade guide, "Helm charts"): the gateway's image
// tag in the release's values, then `helm upgrade` with the release's values files.
//
//   lockstep plan playbooks/tyk-gateway/kubernetes-helm.groovy -e fake-cluster -p version=5.3.0
//   lockstep run  playbooks/tyk-gateway/kubernetes-helm.groovy -e fake-cluster -p version=5.3.0
//
// Step 1 of the guide, "Backup your gateway config file", is the release's values here: the upgrade
// records them (output previousValues, and a YAML copy in the run's artifacts), and a rollback
// upgrades the release back to its previous chart and exactly those values.

playbook('tyk-gateway-kubernetes-helm') {
    description 'Upgrade the Tyk OSS gateway Helm release; roll back by upgrading to its previous chart and values'

    param 'version', String, required: true, description: 'gateway version to upgrade to, e.g. 5.3.0'

    def cluster = target('cluster')
    String gateway = vars.helmGatewayDeployment

    preflight(on: cluster) {
        // After a rollback, the last undo to run waits until the previous gateways serve again.
        waitRollout('current', name: gateway, timeout: '2m') {
            compensate('wait until the previous gateways have rolled out again') {
                waitRollout name: gateway, timeout: '5m'
            }
        }
    }

    phase('upgrade', on: cluster) {
        helmUpgrade 'release', release: vars.helmRelease, chart: vars.helmChart, values: vars.helmValuesFiles,
                set: [(vars.helmImageTagPath): "v${params.version}"], timeout: '5m'
        waitRollout 'rollout', name: gateway, timeout: '5m'
    }

    verify(on: cluster) {
        assertPodLogsClean 'gateway-log', name: gateway, since: 'upgrade/release',
                errors: ['(?i)level=(error|fatal)', '^panic:']
    }
}
