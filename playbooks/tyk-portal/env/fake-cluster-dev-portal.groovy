// The portal installed with the tyk-dev-portal chart (src/testbed/charts/tyk-dev-portal, the same
// value paths as Tyk's chart) in namespace tyk of the cluster behind the kubeconfig the specs write
// (README, "Kubernetes": an API server the specs run, not a real cluster). Its PostgreSQL runs in
// pod tyk-postgres-0; pg_dump and psql run there (`kubectl exec`). The password is the secret
// `testbed-db-password`, read from LOCKSTEP_SECRET_TESTBED_DB_PASSWORD.
environment('fake-cluster-dev-portal') {
    vars {
        release = 'tyk-dev-portal'
        chart = '../../src/testbed/charts/tyk-dev-portal'
        valuesFiles = ['kubernetes/values-dev-portal.yaml']
        imageTagPath = 'image.tag'
        portalDeployment = 'dev-portal-tyk-dev-portal'
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
