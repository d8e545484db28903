// The portal as the integration testbed runs it (src/testbed/README.md): the stand-in images in the
// testbed registry and the testbed's PostgreSQL. The database password is the secret
// `testbed-db-password`, read from LOCKSTEP_SECRET_TESTBED_DB_PASSWORD.
environment('testbed') {
    vars {
        portalContainer = 'tyk-portal'
        portalImage = '127.0.0.1:5000/tyk-portal'
        portalUrl = 'http://127.0.0.1:3001'
        composeFile = '../../build/tyk-portal/docker-compose.yaml'
        composeService = 'tyk-portal'
        dockerConfig = '../../build/testbed/docker-config'
        themeDir = '../../build/tyk-portal/themes'
        dbEngine = 'postgres'
        dbHost = '127.0.0.1'
        dbPort = 5433
        dbName = 'lockstep_tyk_portal'
        dbUser = 'lockstep'
    }
    secrets {
        portalDbPassword 'testbed-db-password'
    }
}
