// Tyk with MDCB on the testbed's Linux hosts (src/testbed/README.md, "Linux test hosts"): each target
// names its data centre in the attribute dc. The control DC is host 3 (MDCB, Pump and Dashboard side by
// side, on ports 8181, 8083 and 3000) and host 4 (a Gateway); worker DC a is host 5, worker DC b host 6,
// each with a Pump and a Gateway. Worker DCs are upgraded in the order they are declared here.
environment('testbed-mdcb') {
    targets {
        [3: ['control', ['mdcb', 'pump', 'dashboard']], 4: ['control', ['gateway']],
         5: ['worker-a', ['pump', 'gateway']], 6: ['worker-b', ['pump', 'gateway']]].each { n, dcAndRoles ->
            target "host-${n}", roles: dcAndRoles[1], dc: dcAndRoles[0], host: '127.0.0.1', port: 2200 + n, user: 'lockstep',
                    identity: '../../build/testbed/hosts/id_ed25519', knownHosts: '../../build/testbed/hosts/known_hosts',
                    packageManager: 'dpkg', packageRepo: 'http://packages'
        }
    }
}
