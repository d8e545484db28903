// Gateways on the testbed's Linux hosts (src/testbed/README.md, "Linux test hosts"): six systemd
// containers reached over SSH on 127.0.0.1, packages from the testbed's package server.
environment('testbed-hosts') {
    targets {
        (1..6).each { n ->
            target "gw-${n}", roles: ['gateway'], host: '127.0.0.1', port: 2200 + n, user: 'lockstep',
                    identity: '../../build/testbed/hosts/id_ed25519', knownHosts: '../../build/testbed/hosts/known_hosts',
                    packageManager: 'dpkg', packageRepo: 'http://packages'
        }
    }
}
