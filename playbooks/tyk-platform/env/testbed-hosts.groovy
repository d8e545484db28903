// Tyk Self-Managed on the testbed's Linux hosts (src/testbed/README.md, "Linux test hosts"), each
// component on its own hosts as the guide recommends for production: the Dashboard on host 3, Gateways
// on hosts 4 and 5, the Pump on host 6. Reached over SSH on 127.0.0.1, packages from the testbed's
// package server.
environment('testbed-hosts') {
    targets {
        [3: ['dashboard'], 4: ['gateway'], 5: ['gateway'], 6: ['pump']].each { n, roles ->
            target "host-${n}", roles: roles, host: '127.0.0.1', port: 2200 + n, user: 'lockstep',
                    identity: '../../build/testbed/hosts/id_ed25519', knownHosts: '../../build/testbed/hosts/known_hosts',
                    packageManager: 'dpkg', packageRepo: 'http://packages'
        }
    }
}
