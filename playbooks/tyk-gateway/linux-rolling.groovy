// Upgrades Tyk gateways installed from packages on Linux hosts, a few at a time ("Upgrading Tyk":
// gateways on Linux, rolling updates): on each host the config file is backed up, the package
// upgraded (dpkg, rpm, apt or yum; the target's packageManager attribute or what the host has), the
// service restarted, its journal read for "Gateway started", and the gateway asked for its health.
//
// One host first, then half of the rest at a time. A host that fails stops the run at its batch:
// the hosts already upgraded go back to the version each had, last upgraded first, and the batches
// after it never start. A failing host puts its own previous version back before it fails.
//
//   lockstep plan playbooks/tyk-gateway/linux-rolling.groovy -e testbed-hosts -p version=5.3.0

playbook('tyk-gateway-linux-rolling') {
    description 'Upgrade Tyk gateways installed from packages, host by host, rolling back on failure'

    param 'version', String, required: true, description: 'package version to upgrade to, e.g. 5.3.0'

    rolling('gateways', over: targets(role: 'gateway'), batches: [1, '50%']) { t ->
        // The package repository of the host's environment: `{version}` is filled in at run time,
        // also with the version to go back to.
        String file = t.packageManager == 'rpm'
                ? "${t.packageRepo}/rpm/tyk-gateway-{version}.x86_64.rpm"
                : "${t.packageRepo}/deb/tyk-gateway_{version}_amd64.deb"
        backupRemoteFile 'config', path: '/opt/tyk-gateway/tyk.conf'
        installPackage 'gateway', package: 'tyk-gateway', version: params.version, url: file,
                restart: 'tyk-gateway.service'
        assertJournalClean 'started', unit: 'tyk-gateway.service', since: "gateways/gateway@${t.name}",
                expect: ['Gateway started'], follow: '20s'
        ssh('health', args: ['curl', '-fsS', '--retry', '5', '--retry-connrefused', '--retry-delay', '1',
                             'http://127.0.0.1:8080/hello']) {
            readOnly()
        }
    }
}
