// The portal on the testbed's second Linux host, as on Red Hat / CentOS: installed and downgraded
// with yum from the host's repository (the package server's rpm/ directory), so a rollback is the
// guide's `yum downgrade tyk-portal-<PREVIOUS_VERSION>`. The testbed's hosts are Debian with rpm and
// dnf (src/testbed/README.md): the rpm path is exercised, a Red Hat userland is not.
environment('testbed-rhel') {
    inherits 'testbed-debian.groovy'
    vars {
        dbName = 'lockstep_portal_rhel'
    }
    targets {
        target 'portal-1', roles: ['portal'], host: '127.0.0.1', port: 2202, user: 'lockstep',
                identity: '../../build/testbed/hosts/id_ed25519', knownHosts: '../../build/testbed/hosts/known_hosts',
                packageManager: 'yum', packageRepo: 'http://packages'
    }
}
