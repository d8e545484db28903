// The OSS gateway in namespace tyk of the cluster behind the kubeconfig the specs write (README,
// "Kubernetes": an API server the specs run, not a real cluster). Deployed from the manifests in
// build/fake-cluster/tyk-gateway (copied from tyk-gateway/kubernetes/ by the specs), or with the tyk-oss chart (src/testbed/charts/tyk-oss, the same
// value paths as Tyk's chart).
environment('fake-cluster') {
    vars {
        manifestDir = '../../build/fake-cluster/tyk-gateway'
        gatewayDeployment = 'tyk-gtw'
        helmRelease = 'tyk-oss'
        helmChart = '../../src/testbed/charts/tyk-oss'
        helmValuesFiles = []
        helmImageTagPath = 'tyk-gateway.gateway.image.tag'
        helmGatewayDeployment = 'gateway-tyk-oss-tyk-gateway'
    }
    targets {
        target 'cluster', roles: ['kubernetes'], kubeconfig: '../../build/fake-cluster/kubeconfig',
                context: 'fake', namespace: 'tyk'
    }
}
