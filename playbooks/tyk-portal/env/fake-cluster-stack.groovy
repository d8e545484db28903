// The portal as a component of the tyk-stack chart (src/testbed/charts/tyk-stack, the same
// value paths as Tyk's chart) in namespace tyk of the cluster behind the kubeconfig the specs write
// (README, "Kubernetes": an API server the specs run, not a real cluster). Its PostgreSQL runs in
// pod tyk-postgres-0; pg_dump and psql run there (`kubectl exec`). The password is the secret
// `testbed-db-password`, read from LOCKSTEP_SECRET_TESTBED_DB_PASSWORD.
environment('fake-cluster-stack') {
    vars {
        release = 'tyk'
        chart = '../../src/testbed/charts/tyk-stack'
        valuesFiles = ['kubernetes/values-stack.yaml']
        imageTagPath = 'global.components.devPortal.image.tag'
        portalDeployment = 'dev-portal-tyk'
        portalContainer = 'dev-portal'
        dbEngine = 'postgres'
        dbPod = 'tyk-postgres-0'
        dbContainer = 'postgres'
        dbHost = '127.0.0.1'
        dbPort = 5432
        dbName = 'lockstep_portal_kubernetes'
        dbUser = 'lockstep'
    }
    secrets {
        portalDbPassword 'testbed-db-password'
    }
    targets {
        target 'cluster', roles: ['kubernetes'], kubeconfig: '../../build/fake-cluster/kubeconfig',
                context: 'fake', namespace: 'tyk'
    }
}
