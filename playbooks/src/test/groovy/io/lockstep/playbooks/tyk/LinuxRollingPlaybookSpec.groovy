package io.lockstep.playbooks.tyk

import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path

/**
 * playbooks/tyk-gateway/linux-rolling.groovy through the CLI on the testbed's six Linux hosts
 * (systemd, sshd, dpkg): gateways upgraded from packages in batches of 1, 3 and 2. The fourth host
 * takes its packages from a mirror that lacks the new version, so its upgrade fails in the second
 * batch: the run stops there, the hosts upgraded before it go back, and the third batch never starts.
 */
class LinuxRollingPlaybookSpec extends Specification {

    static final Path PLAYBOOK = Path.of('tyk-gateway/linux-rolling.groovy').toAbsolutePath()
    static final List<Integer> HOSTS = (1..6)

    @TempDir
    Path dir

    CliRunner cli

    def setup() {
        cli = new CliRunner(dir.resolve('store'))
        HOSTS.each { n -> Testbed.onHost(n, "dpkg --purge tyk-gateway >/dev/null 2>&1; " +
                "curl -fsS -o /tmp/gw.deb ${Testbed.get('PACKAGE_URL_ON_HOSTS')}/deb/tyk-gateway_5.2.5_amd64.deb && " +
                'dpkg -i /tmp/gw.deb >/dev/null && rm /tmp/gw.deb && systemctl restart tyk-gateway.service') }
        HOSTS.each { n -> assert answer(n).contains('"version":"v5.2.5"') }
    }

    def cleanup() {
        HOSTS.each { n -> Testbed.onHost(n, 'dpkg --purge tyk-gateway >/dev/null 2>&1; systemctl reset-failed tyk-gateway.service 2>/dev/null; true') }
    }

    /** The testbed's hosts as targets; host 4's mirror lacks 5.3.0 when stale is true. */
    private Path environment(boolean staleMirrorOnHost4) {
        Path env = dir.resolve('hosts.groovy')
        String repo = Testbed.get('PACKAGE_URL_ON_HOSTS')
        Files.writeString(env, """\
            environment('e2e') {
                targets {
            ${HOSTS.collect { n -> """        target 'gw-$n', roles: ['gateway'], host: '127.0.0.1', port: ${Testbed.hostPort(n)}, user: '${Testbed.get('SSH_USER')}',
                            identity: '${Testbed.get('SSH_KEY')}', knownHosts: '${Testbed.get('KNOWN_HOSTS')}',
                            packageManager: 'dpkg', packageRepo: '${staleMirrorOnHost4 && n == 4 ? "$repo/stale" : repo}'""" }.join('\n')}
                }
            }
            """.stripIndent())
        env
    }

    def "a host that fails in the second batch stops the run; the hosts upgraded before it go back, the last batch never starts"() {
        when:
        def run = cli.run('run', PLAYBOOK.toString(), '-e', environment(true).toString(), '-p', 'version=5.3.0')

        then: 'host 4 failed to get 5.3.0 from its mirror'
        run.code == 3
        run.out.contains('failed at gateways/gateway@gw-4')

        and: 'hosts 1 to 3 were upgraded, then undone last first (host 4 only had its config backed up); 5 and 6 never started'
        cli.finished(run.runId).findAll { it.startsWith('gateways/gateway@') } ==
                ['gateways/gateway@gw-1', 'gateways/gateway@gw-2', 'gateways/gateway@gw-3']
        cli.compensated(run.runId) == ['gateways/config@gw-4', 'gateways/gateway@gw-3', 'gateways/config@gw-3',
                                       'gateways/gateway@gw-2', 'gateways/config@gw-2', 'gateways/gateway@gw-1',
                                       'gateways/config@gw-1']
        !cli.status(run.runId).records.any { it.stepId?.endsWith('@gw-5') || it.stepId?.endsWith('@gw-6') }

        and: 'every host has 5.2.5 installed and answers on it'
        HOSTS.collect { n -> installed(n) } == ['5.2.5'] * 6
        HOSTS.every { n -> answer(n).contains('"version":"v5.2.5"') }
    }

    def "without the stale mirror every host is upgraded, batch after batch"() {
        when:
        def run = cli.run('run', PLAYBOOK.toString(), '-e', environment(false).toString(), '-p', 'version=5.3.0')

        then:
        run.code == 0
        cli.finished(run.runId).findAll { it.startsWith('gateways/gateway@') } == HOSTS.collect { "gateways/gateway@gw-$it".toString() }
        HOSTS.collect { n -> installed(n) } == ['5.3.0'] * 6
        HOSTS.every { n -> answer(n).contains('"version":"v5.3.0"') }
    }

    private String installed(int n) {
        Testbed.onHost(n, "dpkg-query -W -f='\${Version}' tyk-gateway").trim()
    }

    private String answer(int n) {
        Testbed.onHost(n, 'curl -fsS --retry 10 --retry-connrefused --retry-delay 1 http://127.0.0.1:8080/hello')
    }

}
