// The portal as a component of the tyk-stack chart (src/testbed/charts/tyk-stack, the same value
// paths as Tyk's chart): release `tyk`, the portal's image tag at
// global.components.devPortal.image.tag. The cluster, the database and its pod are those of
// fake-cluster-dev-portal.
environment('fake-cluster-stack') {
    inherits 'fake-cluster-dev-portal.groovy'
    vars {
        release = 'tyk'
        chart = '../../src/testbed/charts/tyk-stack'
        valuesFiles = ['kubernetes/values-stack.yaml']
        imageTagPath = 'global.components.devPortal.image.tag'
        portalDeployment = 'dev-portal-tyk'
    }
}
