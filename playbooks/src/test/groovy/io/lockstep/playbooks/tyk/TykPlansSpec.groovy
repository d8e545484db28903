package io.lockstep.playbooks.tyk

import spock.lang.Specification
import spock.lang.TempDir
import spock.lang.Unroll

import java.nio.file.Path

/**
 * `lockstep plan` of every Tyk playbook with its testbed environment: what an operator reads
 * before anything runs. Each plan lists the steps and the undo of each, and a rollback plan in the
 * order the upgrade guides give; nothing is contacted.
 */
class TykPlansSpec extends Specification {

    static final String SELF_MANAGED = 'dashboardVersion=5.3.0 gatewayVersion=5.3.0 pumpVersion=1.10.0'
    static final String MDCB = 'mdcbVersion=2.6.0 pumpVersion=1.10.0 dashboardVersion=5.3.0 gatewayVersion=5.3.0'

    @TempDir
    Path dir

    @Unroll
    def "the plan of #playbook shows its steps, their undo and the rollback in the guide's order"() {
        given:
        CliRunner cli = new CliRunner(dir.resolve('store'))

        when:
        Map plan = cli.run('plan', *([Path.of(playbook).toAbsolutePath().toString(), '-e', env] + params.split(' ').collectMany { ['-p', it] }))
        List<String> lines = plan.out.readLines()
        int rollback = lines.indexOf('Rollback plan')

        then:
        plan.code == 0
        lines.count { it.contains('undo: ') } == steps
        lines.drop(rollback + 2).takeWhile { it.trim() }.collect { (it =~ /^\s+\d+\.\s+(\S+)/)[0][1] } == undone
        plan.out.contains(warning)
        plan.out.contains('Irreversible steps\n  none: every step with an effect has an undo')

        where:
        playbook                           | env              | params           | steps | warning                              || undone
        'tyk-portal/docker.groovy'         | 'testbed'        | 'version=1.14.1' | 12    | 'backup/database: restoring'         || ['upgrade/portal', 'backup/theme', 'backup/database', 'stop/portal', 'preflight/current-version']
        'tyk-portal/compose.groovy'        | 'testbed'        | 'version=1.14.1' | 14    | 'backup/database: restoring'         || ['upgrade/portal', 'backup/theme', 'backup/database', 'compose-file/portal-image', 'stop/portal', 'preflight/current-version']
        'tyk-portal/linux.groovy'          | 'testbed-debian' | 'version=1.14.1' | 12    | 'backup/database: restoring'         || ['upgrade/start', 'backup/database', 'install/package', 'install/config', 'stop/portal', 'preflight/current-version']
        'tyk-portal/linux.groovy'          | 'testbed-rhel'   | 'version=1.14.1' | 12    | 'backup/database: restoring'         || ['upgrade/start', 'backup/database', 'install/package', 'install/config', 'stop/portal', 'preflight/current-version']
        'tyk-portal/kubernetes.groovy'     | 'fake-cluster-dev-portal' | 'version=1.14.1' | 10 | 'upgrade/restore-database: restoring' || ['upgrade/stop-portal', 'upgrade/restore-database', 'upgrade/release', 'preflight/current']
        'tyk-portal/kubernetes.groovy'     | 'fake-cluster-stack' | 'version=1.14.1' | 10     | 'upgrade/restore-database: restoring' || ['upgrade/stop-portal', 'upgrade/restore-database', 'upgrade/release', 'preflight/current']
        'tyk-gateway/kubernetes-manifest.groovy' | 'fake-cluster' | 'version=5.3.0'  | 5     | 'Data a rollback would lose\n  none' || ['upgrade/gateway', 'manifest/gateway-image', 'preflight/current']
        'tyk-gateway/kubernetes-helm.groovy' | 'fake-cluster'   | 'version=5.3.0'  | 4     | 'Data a rollback would lose\n  none' || ['upgrade/release', 'preflight/current']
        'tyk-gateway/docker.groovy'        | 'testbed'        | 'version=5.3.0'  | 8     | 'backup/config: restoring'           || ['upgrade/gateway', 'backup/config', 'stop/gateway', 'preflight/current-version']
        'tyk-gateway/compose.groovy'       | 'testbed'        | 'version=5.3.0'  | 10    | 'backup/config: restoring'           || ['upgrade/gateway', 'compose-file/gateway-image', 'backup/config', 'stop/gateway', 'preflight/current-version']
        'tyk-gateway/hybrid-docker.groovy' | 'testbed-hybrid' | 'version=5.3.0'  | 9     | 'backup/config: restoring'           || ['upgrade/gateway', 'backup/config', 'stop/gateway', 'preflight/current-version']
        'tyk-gateway/linux-rolling.groovy' | 'testbed-hosts'  | 'version=5.3.0'  | 24    | 'Data a rollback would lose\n  none' || (6..1).collectMany { ["gateways/gateway@gw-$it", "gateways/config@gw-$it"]*.toString() }
        'tyk-platform/self-managed.groovy' | 'testbed-hosts'  | SELF_MANAGED     | 16    | 'Data a rollback would lose\n  none' || [['pump', 6], ['gateways', 5], ['gateways', 4], ['dashboard', 3]].collectMany { b, n -> ["$b/package@host-$n", "$b/config@host-$n"]*.toString() }
        'tyk-platform/mdcb.groovy'         | 'testbed-mdcb'   | MDCB             | 32    | 'Data a rollback would lose\n  none' || [['worker-b/gateways', 6], ['worker-b/pump', 6], ['worker-a/gateways', 5], ['worker-a/pump', 5], ['control/gateways', 4], ['control/dashboard', 3], ['control/pump', 3], ['control/mdcb', 3]].collectMany { b, n -> ["$b/package@host-$n", "$b/config@host-$n"]*.toString() }
    }
}
