// Upgrades Tyk Self-Managed installed from packages, with the Dashboard, the Gateways and the Pump on
// separate Linux hosts ("Upgrading Tyk", Tyk Self-Managed: "In a production environment, where we
// recommend installing the Dashboard, Gateway and Pump on separate machines, you should upgrade
// components in the following sequence: 1. Tyk Dashboard 2. Tyk Gateway 3. Tyk Pump").
//
// On each host of a component: its config file is backed up, its package upgraded (dpkg, rpm, apt or
// yum; the target's packageManager attribute or what the host has) and its service restarted, its
// journal read for the start line, and the component asked for its health. Gateways roll one host
// first, then half of the rest at a time (the guide: "Tyk is compatible with a blue-green or rolling
// update strategy"); the Dashboard and the Pump go one host at a time.
//
// A host that fails puts its own previous version back and stops the run: every host upgraded before
// it goes back to the version it had, last upgraded first (the Pumps, then the Gateways, then the
// Dashboard), and the components after it are never touched.
//
//   lockstep plan playbooks/tyk-platform/self-managed.groovy -e testbed-hosts \
//       -p dashboardVersion=5.3.0 -p gatewayVersion=5.3.0 -p pumpVersion=1.10.0

playbook('tyk-self-managed') {
    description 'Upgrade the Tyk Dashboard, then the Gateways, then the Pump, each on its own hosts, rolling back on failure'

    param 'dashboardVersion', String, required: true, description: 'tyk-dashboard package version, e.g. 5.3.0'
    param 'gatewayVersion', String, required: true, description: 'tyk-gateway package version, e.g. 5.3.0'
    param 'pumpVersion', String, required: true, description: 'tyk-pump package version, e.g. 1.10.0'

    // Each component as its package installs it: config file, systemd unit, the line its journal shows
    // once started, and its health endpoint. The environment's role names the hosts it runs on.
    Map<String, Map<String, Object>> components = [
            dashboard: [block: 'dashboard', package: 'tyk-dashboard', version: params.dashboardVersion,
                        config: '/opt/tyk-dashboard/tyk_analytics.conf', unit: 'tyk-dashboard.service',
                        started: 'Dashboard started', health: 'http://127.0.0.1:3000/hello', batches: [1]],
            gateway  : [block: 'gateways', package: 'tyk-gateway', version: params.gatewayVersion,
                        config: '/opt/tyk-gateway/tyk.conf', unit: 'tyk-gateway.service',
                        started: 'Gateway started', health: 'http://127.0.0.1:8080/hello', batches: [1, '50%']],
            pump     : [block: 'pump', package: 'tyk-pump', version: params.pumpVersion,
                        config: '/opt/tyk-pump/pump.conf', unit: 'tyk-pump.service',
                        started: 'Pump started', health: 'http://127.0.0.1:8083/health', batches: [1]],
    ]

    // The guide's order.
    ['dashboard', 'gateway', 'pump'].each { String role ->
        Map<String, Object> c = components[role]
        rolling(c.block, over: targets(role: role), batches: c.batches) { t ->
            // The package repository of the host's environment: `{version}` is filled in at run time,
            // also with the version to go back to.
            String file = t.packageManager == 'rpm'
                    ? "${t.packageRepo}/rpm/${c.package}-{version}.x86_64.rpm"
                    : "${t.packageRepo}/deb/${c.package}_{version}_amd64.deb"
            backupRemoteFile 'config', path: c.config
            installPackage 'package', package: c.package, version: c.version, url: file, restart: c.unit
            assertJournalClean 'started', unit: c.unit, since: "${c.block}/package@${t.name}",
                    expect: [c.started], follow: '20s'
            ssh('health', args: ['curl', '-fsS', '--retry', '5', '--retry-connrefused', '--retry-delay', '1', c.health]) {
                readOnly()
            }
        }
    }
}
