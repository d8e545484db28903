// The portal on the testbed's first Linux host (src/testbed/README.md, "Linux test hosts"), as on
// Ubuntu / Debian: the guide's .deb file installed with dpkg from the package server. Its database is
// on the hosts' PostgreSQL (db:5432 on the hosts, 127.0.0.1:5442 here, where the backup runs); the
// password is the secret `testbed-db-password`, read from LOCKSTEP_SECRET_TESTBED_DB_PASSWORD.
environment('testbed-debian') {
    vars {
        portalUrl = 'http://127.0.0.1:3001'
        dbEngine = 'postgres'
        dbHost = '127.0.0.1'
        dbPort = 5442
        dbName = 'lockstep_portal_debian'
        dbUser = 'lockstep'
    }
    secrets {
        portalDbPassword 'testbed-db-password'
    }
    targets {
        target 'portal-1', roles: ['portal'], host: '127.0.0.1', port: 2201, user: 'lockstep',
                identity: '../../build/testbed/hosts/id_ed25519', knownHosts: '../../build/testbed/hosts/known_hosts',
                packageManager: 'dpkg', packageRepo: 'http://packages'
    }
}
