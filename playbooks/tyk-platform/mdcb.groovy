// Upgrades Tyk with the Multi Data Centre Bridge, installed from packages on Linux hosts in several data
// centres ("Upgrading Tyk", Tyk Self-Managed Multi Data Centre Bridge (MDCB): "Master DC first in the
// following order: 1. MDCB 2. Pump (if in use) 3. Dashboard 4. Gateway. Then your worker DC Gateways in
// the following order: 1. Pump (if in use) 2. Gateway"). MDCB first, then the control DC, then the
// workers: connectivity problems show at once, and no new Gateway ever talks to an old MDCB.
//
// Each target names its data centre in the attribute dc: 'control' for the control (master) DC, any
// other name for a worker DC. The control DC is a phase 'control'; each worker DC is a phase of its
// own name, in the order the environment declares its targets. A Pump is upgraded where the DC has one.
//
// On each host of a component: its config file is backed up, its package upgraded (dpkg, rpm, apt or
// yum; the target's packageManager attribute or what the host has) and its service restarted, its
// journal read for the start line, and the component asked for its health. Gateways roll one host
// first, then half of the rest at a time; the other components go one host at a time.
//
// A host that fails puts its own previous version back and stops the run: every host upgraded before
// it, in its DC and the DCs before, goes back to the version it had, last upgraded first, and the DCs
// after it are never touched.
//
//   lockstep plan playbooks/tyk-platform/mdcb.groovy -e testbed-mdcb -p mdcbVersion=2.6.0 \
//       -p pumpVersion=1.10.0 -p dashboardVersion=5.3.0 -p gatewayVersion=5.3.0

playbook('tyk-mdcb') {
    description 'Upgrade MDCB, Pump, Dashboard and Gateways of the control DC, then Pump and Gateways of each worker DC'

    param 'mdcbVersion', String, required: true, description: 'tyk-mdcb package version, e.g. 2.6.0'
    param 'pumpVersion', String, required: true, description: 'tyk-pump package version, e.g. 1.10.0'
    param 'dashboardVersion', String, required: true, description: 'tyk-dashboard package version, e.g. 5.3.0'
    param 'gatewayVersion', String, required: true, description: 'tyk-gateway package version, e.g. 5.3.0'

    // Each component as its package installs it: config file, systemd unit (MDCB's is tyk-sink), the
    // line its journal shows once started, and its health endpoint. The role names its hosts.
    Map<String, Map<String, Object>> components = [
            mdcb     : [block: 'mdcb', package: 'tyk-mdcb', version: params.mdcbVersion,
                        config: '/opt/tyk-sink/tyk_sink.conf', unit: 'tyk-sink.service',
                        started: 'MDCB started', health: 'http://127.0.0.1:8181/health', batches: [1]],
            pump     : [block: 'pump', package: 'tyk-pump', version: params.pumpVersion,
                        config: '/opt/tyk-pump/pump.conf', unit: 'tyk-pump.service',
                        started: 'Pump started', health: 'http://127.0.0.1:8083/health', batches: [1]],
            dashboard: [block: 'dashboard', package: 'tyk-dashboard', version: params.dashboardVersion,
                        config: '/opt/tyk-dashboard/tyk_analytics.conf', unit: 'tyk-dashboard.service',
                        started: 'Dashboard started', health: 'http://127.0.0.1:3000/hello', batches: [1]],
            gateway  : [block: 'gateways', package: 'tyk-gateway', version: params.gatewayVersion,
                        config: '/opt/tyk-gateway/tyk.conf', unit: 'tyk-gateway.service',
                        started: 'Gateway started', health: 'http://127.0.0.1:8080/hello', batches: [1, '50%']],
    ]

    // The guide's order: the control DC, then every worker DC in the environment's order.
    List<String> workerDcs = targets()*.attributes*.dc.findAll { it != 'control' }.unique()
    Map<String, List<String>> order = [control: ['mdcb', 'pump', 'dashboard', 'gateway']] +
            workerDcs.collectEntries { [(it): ['pump', 'gateway']] }

    order.each { String dc, List<String> roles ->
        phase(dc) {
            roles.each { String role ->
                Map<String, Object> c = components[role]
                // The Pump is optional ("if in use"); every other component must have hosts in the DC.
                if (role == 'pump' && !targets(role: role, dc: dc)) {
                    return
                }
                rolling(c.block, over: targets(role: role, dc: dc), batches: c.batches) { t ->
                    // The package repository of the host's environment: `{version}` is filled in at run
                    // time, also with the version to go back to.
                    String file = t.packageManager == 'rpm'
                            ? "${t.packageRepo}/rpm/${c.package}-{version}.x86_64.rpm"
                            : "${t.packageRepo}/deb/${c.package}_{version}_amd64.deb"
                    backupRemoteFile 'config', path: c.config
                    installPackage 'package', package: c.package, version: c.version, url: file, restart: c.unit
                    assertJournalClean 'started', unit: c.unit, since: "${dc}/${c.block}/package@${t.name}",
                            expect: [c.started], follow: '20s'
                    ssh('health', args: ['curl', '-fsS', '--retry', '5', '--retry-connrefused', '--retry-delay', '1', c.health]) {
                        readOnly()
                    }
                }
            }
        }
    }
}
