// Upgrades a Tyk OSS gateway deployed from manifests (upgrade guide, "Kubernetes: simple
// environment"): the image line of the gateway Deployment in the manifest is changed to the new
// version (only that value; the file's other bytes stay), the manifests are applied as
// `kubectl apply -f .` would, and the rollout is watched.
//
//   lockstep plan playbooks/tyk-gateway/kubernetes-manifest.groovy -e fake-cluster -p version=5.3.0
//   lockstep run  playbooks/tyk-gateway/kubernetes-manifest.groovy -e fake-cluster -p version=5.3.0
//
// A rollback puts back every object the apply changed, as it was (the previous image with it),
// deletes any it created, and puts the manifest file back as it was before the run, so the next
// `kubectl apply -f .` does not bring the failed version back.

playbook('tyk-gateway-kubernetes-manifest') {
    description 'Upgrade the Tyk OSS gateway: its image set in the manifest, the manifests applied; roll back to the objects and file as they were'

    param 'version', String, required: true, description: 'gateway version to upgrade to, e.g. 5.3.0'

    def cluster = target('cluster')
    String manifests = vars.manifestDir
    String gateway = vars.gatewayDeployment

    preflight(on: cluster) {
        // After a rollback, the last undo to run waits until the previous gateways serve again.
        waitRollout('current', name: gateway, timeout: '2m') {
            compensate('wait until the previous gateways have rolled out again') {
                waitRollout name: gateway, timeout: '5m'
            }
        }
    }

    phase('manifest') {
        // Step 1, "Backup your gateway config file": tyk.conf is in the manifests' ConfigMap; the
        // apply below records every object as it was, and this step keeps the file's original.
        // Step 2: the image line of the gateway Deployment.
        setManifestImage 'gateway-image', file: manifests, name: gateway, tag: "v${params.version}"
    }

    phase('upgrade', on: cluster) {
        // kubectl apply -f . : every object's previous state is recorded for the undo.
        applyManifest 'gateway', file: manifests
        waitRollout 'rollout', name: gateway, timeout: '5m'
    }

    verify(on: cluster) {
        // "Check the gateway pod": the new gateways start without errors.
        assertPodLogsClean 'gateway-log', name: gateway, since: 'upgrade/gateway',
                errors: ['(?i)level=(error|fatal)', '^panic:']
    }
}
