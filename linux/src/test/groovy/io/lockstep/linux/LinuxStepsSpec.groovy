package io.lockstep.linux

import io.lockstep.engine.model.Compensation
import io.lockstep.steps.StepFailedException
import io.lockstep.testing.TestStepContext
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path
import java.time.Instant

import static io.lockstep.linux.LinuxHosts.*

/**
 * The step types against the testbed's hosts: tyk-gateway installed up and down with dpkg and apt
 * (host 1) and rpm, yum and dnf (host 2), its unit started, stopped and restarted, its journal read.
 * Each feature purges what it installed.
 */
class LinuxStepsSpec extends Specification {

    static final String DEB = "${packageUrl()}/deb/tyk-gateway_{version}_amd64.deb"
    static final String RPM = "${packageUrl()}/rpm/tyk-gateway-{version}.x86_64.rpm"

    @TempDir
    Path dir

    TestStepContext ctx

    def setup() {
        ctx = new TestStepContext(dir)
    }

    def cleanup() {
        sh(ctx, 'dpkg --purge tyk-gateway >/dev/null 2>&1; rpm -e tyk-gateway >/dev/null 2>&1; ' +
                'systemctl reset-failed tyk-gateway.service >/dev/null 2>&1; true')
        ctx.close()
    }

    private Map<String, Object> run(String type, Map args) {
        ctx.ownOutputs = step(type, 'step', args).action().execute(ctx)
    }

    private void undo(String type, Map args, Map<String, Object> outputs) {
        ctx.ownOutputs = outputs
        Compensation c = step(type, 'step', args).compensation()
        assert c.kind() == Compensation.Kind.ACTION
        c.action().execute(ctx)
    }

    private String answer() {
        sh(ctx, 'curl -fsS http://127.0.0.1:8080/hello')
    }

    def "dpkg: installs up and down, reports the version before, restarts the unit; the undo goes back"() {
        given:
        ctx.target = target(1)
        Map first = [package: 'tyk-gateway', version: '5.2.5', url: DEB, restart: 'tyk-gateway.service']
        Map second = first + [version: '5.3.0']

        when: 'a first install, then the same again'
        def installed = run('installPackage', first)
        def again = run('installPackage', first)

        then:
        installed == [package: 'tyk-gateway', version: '5.2.5', previousVersion: '', manager: 'dpkg',
                      host: '127.0.0.1', changed: true]
        !again.changed
        again.previousVersion == '5.2.5'
        answer().contains('"version":"v5.2.5"')

        when: 'an upgrade, its journal checked since it started'
        ctx.stepStarts['upgrade'] = Instant.now()
        def upgraded = run('installPackage', second)
        def journal = run('assertJournalClean', [unit: 'tyk-gateway.service', since: 'upgrade',
                                                 expect: ['Gateway started \\(v5\\.3\\.0\\)'], follow: java.time.Duration.ofSeconds(10)])

        then:
        upgraded.previousVersion == '5.2.5'
        upgraded.changed
        step('installPackage', 'step', second).probe().check(ctx).isPresent()
        journal.errorCount == 0
        journal.expectedMissing == []
        answer().contains('"version":"v5.3.0"')

        when: 'the upgrade is undone, then the first install'
        undo('installPackage', second, upgraded)
        String afterUndo = sh(ctx, "dpkg-query -W -f='\${Version}' tyk-gateway")
        String answered = answer()
        undo('installPackage', first, installed)

        then:
        afterUndo == '5.2.5'
        answered.contains('"version":"v5.2.5"')
        ctx.lines.any { it.startsWith('downgrade tyk-gateway to 5.2.5 on lockstep@127.0.0.1:') }
        sh(ctx, "dpkg-query -W -f='\${db:Status-Abbrev}' tyk-gateway 2>/dev/null || true").trim() != 'ii'
    }

    def "an upgrade whose restart fails puts the previous version back and running before it fails"() {
        given:
        ctx.target = target(1)
        Map first = [package: 'tyk-gateway', version: '5.2.5', url: DEB, restart: 'tyk-gateway.service']
        run('installPackage', first)

        when: 'a failed step is not compensated by the engine, so the step itself goes back'
        run('installPackage', first + [version: '5.3.1-broken', within: java.time.Duration.ofSeconds(8)])

        then:
        StepFailedException e = thrown()
        e.message.contains('tyk-gateway.service')
        e.message.endsWith('(tyk-gateway 5.2.5 runs again)')
        sh(ctx, "dpkg-query -W -f='\${Version}' tyk-gateway") == '5.2.5'
        answer().contains('"version":"v5.2.5"')
    }

    def "rpm: VERSION-RELEASE versions, down with --oldpackage in the undo"() {
        given:
        ctx.target = target(2)
        Map first = [package: 'tyk-gateway', version: '5.2.5-1', url: RPM, manager: 'rpm']
        Map second = first + [version: '5.3.0-1']

        when:
        run('installPackage', first)
        def upgraded = run('installPackage', second)
        boolean bareVersionMatches = step('installPackage', 'step', second + [version: '5.3.0']).probe().check(ctx).isPresent()
        undo('installPackage', second, upgraded)

        then:
        upgraded.previousVersion == '5.2.5-1'
        upgraded.manager == 'rpm'
        bareVersionMatches
        sh(ctx, "rpm -q --qf '%{VERSION}-%{RELEASE}' tyk-gateway") == '5.2.5-1'
    }

    def "apt: install a version from the repository; the undo is apt-get install of the version before, then a removal"() {
        given: 'host 1 has the package server as its apt repository'
        ctx.target = target(1)
        Map first = [package: 'tyk-gateway', version: '5.2.5', manager: 'apt']
        Map second = first + [version: '5.3.0']

        when:
        def installed = run('installPackage', first)
        def upgraded = run('installPackage', second)
        String afterUpgrade = sh(ctx, "dpkg-query -W -f='\${Version}' tyk-gateway")
        undo('installPackage', second, upgraded)
        String afterUndo = sh(ctx, "dpkg-query -W -f='\${Version}' tyk-gateway")
        undo('installPackage', first, installed)

        then:
        installed.previousVersion == ''
        upgraded.previousVersion == '5.2.5'
        upgraded.manager == 'apt'
        afterUpgrade == '5.3.0'
        afterUndo == '5.2.5'
        ctx.lines.any { it.startsWith('downgrade tyk-gateway to 5.2.5 on lockstep@127.0.0.1:') }
        sh(ctx, "dpkg-query -W -f='\${db:Status-Abbrev}' tyk-gateway 2>/dev/null || true").trim() != 'ii'
    }

    def "yum and dnf: install from the repository; the undo is a downgrade, then a removal"() {
        given: 'host 2 has dnf, with yum as its alias, and the package server as repository'
        ctx.target = target(2)
        Map first = [package: 'tyk-gateway', version: '5.2.5', manager: 'yum']
        Map second = [package: 'tyk-gateway', version: '5.3.0', manager: 'dnf']

        when:
        def installed = run('installPackage', first)
        def upgraded = run('installPackage', second)
        String afterUpgrade = sh(ctx, "rpm -q --qf '%{VERSION}-%{RELEASE}' tyk-gateway")
        undo('installPackage', second, upgraded)
        String afterUndo = sh(ctx, "rpm -q --qf '%{VERSION}-%{RELEASE}' tyk-gateway")
        undo('installPackage', first, installed)

        then:
        installed.previousVersion == ''
        installed.version == '5.2.5'
        upgraded.previousVersion == '5.2.5-1'
        afterUpgrade == '5.3.0-1'
        afterUndo == '5.2.5-1'
        ctx.lines.any { it.startsWith('downgrade tyk-gateway to 5.2.5-1 on lockstep@127.0.0.1:') }
        sh(ctx, 'rpm -q tyk-gateway >/dev/null && echo installed || echo absent').trim() == 'absent'
    }

    def "a version that fails on start fails the restart with the unit's status; its journal is flagged"() {
        given:
        ctx.target = target(1)
        run('installPackage', [package: 'tyk-gateway', version: '5.3.1-broken', url: DEB])
        ctx.stepStarts['restart'] = Instant.now()

        when:
        run('service', [unit: 'tyk-gateway.service', action: 'restart', within: java.time.Duration.ofSeconds(8)])

        then:
        StepFailedException e = thrown()
        e.message.contains('tyk-gateway.service on lockstep@127.0.0.1:')
        e.message.contains('is not active within 8s')
        e.message.contains('systemctl status:')
        e.message.contains('Active: failed')
        e.message.contains('its last output lines:')
        e.message.contains('level=error msg="Failed to start gateway: stand-in built to fail (v5.3.1-broken)"')

        when:
        run('assertJournalClean', [unit: 'tyk-gateway.service', since: 'restart'])

        then:
        StepFailedException log = thrown()
        log.message.contains('is not clean')
        log.message.contains('Failed to start gateway')
    }

    def "service stop and start: each undo puts the unit back as it was"() {
        given: 'an installed gateway that nothing started yet'
        ctx.target = target(1)
        run('installPackage', [package: 'tyk-gateway', version: '5.2.5', url: DEB])
        Map start = [unit: 'tyk-gateway.service', action: 'start']
        Map stop = [unit: 'tyk-gateway.service', action: 'stop']

        when:
        def started = run('service', start)
        String afterStart = state()
        def stopped = run('service', stop)
        String afterStop = state()
        undo('service', stop, stopped)
        String afterStopUndone = state()
        undo('service', start, started)

        then:
        started == [unit: 'tyk-gateway.service', activeState: 'active', host: '127.0.0.1', wasActive: false]
        stopped.wasActive
        [afterStart, afterStop, afterStopUndone, state()] == ['active', 'inactive', 'active', 'inactive']
    }

    def "a start that fails stops the unit again, so systemd does not keep restarting it during a rollback"() {
        given:
        ctx.target = target(1)
        run('installPackage', [package: 'tyk-gateway', version: '5.3.1-broken', url: DEB])

        when:
        run('service', [unit: 'tyk-gateway.service', action: 'start', within: java.time.Duration.ofSeconds(8)])

        then:
        StepFailedException e = thrown()
        e.message.contains('is not active within 8s')
        e.message.endsWith('(tyk-gateway.service stopped again)')

        when: 'longer than the unit\'s RestartSec=2 later'
        String now = state()
        Thread.sleep(3000)
        String later = state()

        then:
        now in ['inactive', 'failed']
        later == now
    }

    private String state() {
        sh(ctx, 'systemctl is-active tyk-gateway.service || true').trim()
    }

    def "backupRemoteFile keeps a root-owned file and its undo puts it back with its mode and owner"() {
        given:
        ctx.target = target(1)
        sh(ctx, 'mkdir -p /opt/lockstep-spec && printf "listen_port=8080\\n" > /opt/lockstep-spec/app.conf && ' +
                'chmod 640 /opt/lockstep-spec/app.conf')

        when:
        def backup = run('backupRemoteFile', [path: '/opt/lockstep-spec/app.conf'])
        sh(ctx, 'printf "changed\\n" > /opt/lockstep-spec/app.conf && chmod 600 /opt/lockstep-spec/app.conf')
        undo('backupRemoteFile', [path: '/opt/lockstep-spec/app.conf'], backup)

        then:
        Files.readString(Path.of(backup.file)) == 'listen_port=8080\n'
        backup.mode == '640'
        backup.owner == 'root'
        sh(ctx, 'cat /opt/lockstep-spec/app.conf; stat -c "%a %U" /opt/lockstep-spec/app.conf') == 'listen_port=8080\n640 root'

        cleanup:
        sh(ctx, 'rm -rf /opt/lockstep-spec')
    }
}
