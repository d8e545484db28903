package io.lockstep.playbooks.tyk

import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.ConcurrentHashMap

/**
 * playbooks/tyk-platform/self-managed.groovy and mdcb.groovy through the CLI on the testbed's hosts 3
 * to 6 (systemd, sshd, dpkg), with the Dashboard, Gateway, Pump and MDCB packages. Each feature
 * installs the starting versions, runs the playbook, and reads the hosts afterwards: the installed
 * versions, the units' state, the components' answers, and when each new version logged its start
 * line (the hosts share one clock, so those times give the order across hosts).
 */
class PlatformPlaybooksSpec extends Specification {

    static final Path SELF_MANAGED = Path.of('tyk-platform/self-managed.groovy').toAbsolutePath()
    static final Path MDCB = Path.of('tyk-platform/mdcb.groovy').toAbsolutePath()
    static final List<Integer> HOSTS = (3..6)

    /** Package, unit, health port and start line of each component, as the packages install them. */
    static final Map<String, Map> COMPONENTS = [
            mdcb     : [package: 'tyk-mdcb', unit: 'tyk-sink.service', port: 8181, started: 'MDCB started'],
            pump     : [package: 'tyk-pump', unit: 'tyk-pump.service', port: 8083, started: 'Pump started'],
            dashboard: [package: 'tyk-dashboard', unit: 'tyk-dashboard.service', port: 3000, started: 'Dashboard started'],
            gateway  : [package: 'tyk-gateway', unit: 'tyk-gateway.service', port: 8080, started: 'Gateway started'],
    ]
    static final Map<String, String> OLD = [mdcb: '2.5.0', pump: '1.9.0', dashboard: '5.2.5', gateway: '5.2.5']
    static final Map<String, String> NEW = [mdcb: '2.6.0', pump: '1.10.0', dashboard: '5.3.0', gateway: '5.3.0']

    /** Self-managed: each component on its own hosts. */
    static final Map<Integer, Map> SEPARATE = [3: [roles: ['dashboard']], 4: [roles: ['gateway']], 5: [roles: ['gateway']],
                                               6: [roles: ['pump']]]
    /** MDCB: the control DC on hosts 3 and 4, worker DCs a and b on hosts 5 and 6. */
    static final Map<Integer, Map> DATA_CENTRES = [3: [roles: ['mdcb', 'pump', 'dashboard'], dc: 'control'],
                                                   4: [roles: ['gateway'], dc: 'control'],
                                                   5: [roles: ['pump', 'gateway'], dc: 'worker-a'],
                                                   6: [roles: ['pump', 'gateway'], dc: 'worker-b']]

    @TempDir
    Path dir

    CliRunner cli

    def setup() {
        cli = new CliRunner(dir.resolve('store'))
    }

    def cleanup() {
        eachHost { int n -> Testbed.onHost(n, 'dpkg --purge tyk-mdcb tyk-pump tyk-dashboard tyk-gateway >/dev/null 2>&1; ' +
                'systemctl reset-failed tyk-sink.service tyk-pump.service tyk-dashboard.service tyk-gateway.service 2>/dev/null; true') }
    }

    def "self-managed: the Dashboard, then the Gateways in batches, then the Pump, each on its own hosts"() {
        given:
        install(SEPARATE)

        when:
        def run = cli.run('run', SELF_MANAGED.toString(), '-e', environment(SEPARATE).toString(), *selfManagedParams('1.10.0'))

        then:
        run.code == 0
        cli.finished(run.runId).findAll { it.contains('/package@') } ==
                ['dashboard/package@host-3', 'gateways/package@host-4', 'gateways/package@host-5', 'pump/package@host-6']

        and: 'every host runs the new versions, and logged them starting in that order'
        Map<String, Map> hosts = state(SEPARATE, NEW)
        hosts.collectEntries { k, v -> [k, v.summary] } == expected(SEPARATE, NEW)
        ['dashboard@host-3', 'gateway@host-4', 'gateway@host-5', 'pump@host-6'].collect { hosts[it].started }.with { it.every() && it == it.toSorted() }
    }

    def "self-managed: a Pump that fails on start stops the run; the Gateways and the Dashboard go back, last first"() {
        given:
        install(SEPARATE)

        when:
        def run = cli.run('run', SELF_MANAGED.toString(), '-e', environment(SEPARATE).toString(), *selfManagedParams('1.10.1-broken'))

        then: 'the Pump on 1.10.1-broken never became active; its step put 1.9.0 back before failing'
        run.code == 3
        run.out.contains('failed at pump/package@host-6')
        run.out.contains('(tyk-pump 1.9.0 runs again)')

        and: 'what was upgraded before it is undone, last upgraded first'
        cli.finished(run.runId).findAll { it.contains('/package@') } ==
                ['dashboard/package@host-3', 'gateways/package@host-4', 'gateways/package@host-5']
        cli.compensated(run.runId) == ['pump/config@host-6', 'gateways/package@host-5', 'gateways/config@host-5',
                                       'gateways/package@host-4', 'gateways/config@host-4',
                                       'dashboard/package@host-3', 'dashboard/config@host-3']

        and: 'every host runs its previous version again'
        state(SEPARATE, OLD).collectEntries { k, v -> [k, v.summary] } == expected(SEPARATE, OLD)
    }

    def "MDCB: the control DC (MDCB, Pump, Dashboard, Gateway), then each worker DC (Pump, Gateway) in the environment's order"() {
        given:
        install(DATA_CENTRES)

        when:
        def run = cli.run('run', MDCB.toString(), '-e', environment(DATA_CENTRES).toString(), *mdcbParams())

        then:
        run.code == 0
        cli.finished(run.runId).findAll { it.contains('/package@') } ==
                ['control/mdcb/package@host-3', 'control/pump/package@host-3', 'control/dashboard/package@host-3',
                 'control/gateways/package@host-4', 'worker-a/pump/package@host-5', 'worker-a/gateways/package@host-5',
                 'worker-b/pump/package@host-6', 'worker-b/gateways/package@host-6']

        and: 'every host runs the new versions, and logged them starting in that order'
        Map<String, Map> hosts = state(DATA_CENTRES, NEW)
        hosts.collectEntries { k, v -> [k, v.summary] } == expected(DATA_CENTRES, NEW)
        ['mdcb@host-3', 'pump@host-3', 'dashboard@host-3', 'gateway@host-4', 'pump@host-5', 'gateway@host-5', 'pump@host-6',
         'gateway@host-6'].collect { hosts[it].started }.with { it.every() && it == it.toSorted() }
    }

    def "MDCB: a worker DC Gateway that cannot get the new version rolls back the worker DC before it and the control DC"() {
        given: 'worker DC b has no Pump, and its mirror lacks the new Gateway'
        Map<Integer, Map> layout = DATA_CENTRES + [6: [roles: ['gateway'], dc: 'worker-b', stale: true]]
        install(layout)

        when:
        def run = cli.run('run', MDCB.toString(), '-e', environment(layout).toString(), *mdcbParams())

        then:
        run.code == 3
        run.out.contains('failed at worker-b/gateways/package@host-6')

        and: 'no Pump step in worker DC b; everything upgraded before is undone, last first'
        !cli.status(run.runId).records.any { it.stepId?.startsWith('worker-b/pump') }
        cli.finished(run.runId).findAll { it.contains('/package@') } ==
                ['control/mdcb/package@host-3', 'control/pump/package@host-3', 'control/dashboard/package@host-3',
                 'control/gateways/package@host-4', 'worker-a/pump/package@host-5', 'worker-a/gateways/package@host-5']
        cli.compensated(run.runId) == ['worker-b/gateways/config@host-6',
                                       'worker-a/gateways/package@host-5', 'worker-a/gateways/config@host-5',
                                       'worker-a/pump/package@host-5', 'worker-a/pump/config@host-5',
                                       'control/gateways/package@host-4', 'control/gateways/config@host-4',
                                       'control/dashboard/package@host-3', 'control/dashboard/config@host-3',
                                       'control/pump/package@host-3', 'control/pump/config@host-3',
                                       'control/mdcb/package@host-3', 'control/mdcb/config@host-3']

        and: 'every host runs its previous versions again'
        state(layout, OLD).collectEntries { k, v -> [k, v.summary] } == expected(layout, OLD)
    }

    private static List<String> selfManagedParams(String pump) {
        ['-p', 'dashboardVersion=5.3.0', '-p', 'gatewayVersion=5.3.0', '-p', "pumpVersion=$pump".toString()]
    }

    private static List<String> mdcbParams() {
        ['-p', 'mdcbVersion=2.6.0', '-p', 'pumpVersion=1.10.0', '-p', 'dashboardVersion=5.3.0', '-p', 'gatewayVersion=5.3.0']
    }

    /** The layout's hosts as targets, named host-N; a host with stale: true takes packages from a mirror that has none. */
    private Path environment(Map<Integer, Map> layout) {
        Path env = dir.resolve('hosts.groovy')
        String repo = Testbed.get('PACKAGE_URL_ON_HOSTS')
        Files.writeString(env, """\
            environment('e2e') {
                targets {
            ${layout.collect { n, host -> """        target 'host-$n', roles: ${host.roles.collect { "'$it'" }}, ${host.dc ? "dc: '$host.dc', " : ''}host: '127.0.0.1',
                            port: ${Testbed.hostPort(n)}, user: '${Testbed.get('SSH_USER')}', identity: '${Testbed.get('SSH_KEY')}',
                            knownHosts: '${Testbed.get('KNOWN_HOSTS')}', packageManager: 'dpkg', packageRepo: '${host.stale ? "$repo/stale" : repo}'""" }.join('\n')}
                }
            }
            """.stripIndent())
        env
    }

    /** Purges what an earlier run left, then installs and starts the old version of each role's component, hosts in parallel. */
    private void install(Map<Integer, Map> layout) {
        String repo = Testbed.get('PACKAGE_URL_ON_HOSTS')
        Map<Integer, String> out = new ConcurrentHashMap<>()
        eachHost { int n ->
            String script = 'dpkg --purge tyk-mdcb tyk-pump tyk-dashboard tyk-gateway >/dev/null 2>&1; systemctl reset-failed 2>/dev/null; ' +
                    layout[n].roles.collect { String role ->
                        Map c = COMPONENTS[role]
                        "curl -fsS -o /tmp/${role}.deb $repo/deb/${c.package}_${OLD[role]}_amd64.deb && dpkg -i /tmp/${role}.deb >/dev/null && " +
                                "rm /tmp/${role}.deb && systemctl restart ${c.unit} && curl -fsS --retry 10 --retry-connrefused --retry-delay 1 " +
                                "http://127.0.0.1:${c.port}/version 2>/dev/null"
                    }.join(' && ')
            out[n] = Testbed.onHost(n, script)
        }
        layout.each { n, host -> assert out[n].readLines()*.trim() == host.roles.collect { OLD[it] }: "host $n: ${out[n]}" }
    }

    /** "version, unit state, version the health endpoint names" for each role of each host ("pump@host-6"). */
    private static Map<String, String> expected(Map<Integer, Map> layout, Map<String, String> versions) {
        layout.collectEntries { n, host -> host.roles.collectEntries { ["$it@host-$n".toString(), "${versions[it]} active v${versions[it]}".toString()] } }
    }

    /**
     * For each role of each host ("pump@host-6"): the version dpkg has installed, the unit's state and the
     * version the health endpoint names (as one summary), and when the host's journal last showed the
     * start line of the given version (seconds since the epoch; the hosts share one clock). One SSH
     * call per host, hosts in parallel.
     */
    private Map<String, Map> state(Map<Integer, Map> layout, Map<String, String> versions) {
        Map<String, Map> state = new ConcurrentHashMap<>()
        eachHost { int n ->
            if (!layout[n]) {
                return
            }
            String script = layout[n].roles.collect { String role ->
                Map c = COMPONENTS[role]
                "printf '%s|%s|%s|%s|%s\\n' $role \"\$(dpkg-query -W -f='\${Version}' ${c.package})\" \"\$(systemctl is-active ${c.unit})\" " +
                        "\"\$(curl -fsS --retry 10 --retry-connrefused --retry-delay 1 http://127.0.0.1:${c.port}/health 2>/dev/null)\" " +
                        "\"\$(journalctl -u ${c.unit} -o short-unix --no-pager -q | grep -F '${c.started} (v${versions[role]})' | tail -n 1 | cut -d' ' -f1)\""
            }.join('; ')
            Testbed.onHost(n, script).readLines().findAll { it.contains('|') }.each { String line ->
                List<String> f = line.split('\\|', -1) as List
                String answers = (f[3] =~ /"version":"([^"]*)"/).with { it.find() ? it.group(1) : "no answer: ${f[3]}" }
                state["${f[0]}@host-$n".toString()] = [summary: "${f[1]} ${f[2]} $answers".toString(),
                                                         started: f[4] ? new BigDecimal(f[4]) : null]
            }
        }
        new TreeMap<>(state)
    }

    private void eachHost(Closure<?> action) {
        List<Throwable> failures = Collections.synchronizedList([])
        HOSTS.collect { int n -> Thread.start { try { action(n) } catch (Throwable e) { failures << e } } }*.join()
        if (failures) {
            throw failures[0]
        }
    }

}
