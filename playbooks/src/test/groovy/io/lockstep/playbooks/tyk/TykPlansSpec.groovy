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

    @TempDir
    Path dir

    @Unroll
    def "the plan of #playbook shows its steps, their undo and the rollback in the guide's order"() {
        given:
        CliRunner cli = new CliRunner(dir.resolve('store'))

        when:
        Map plan = cli.run('plan', Path.of(playbook).toAbsolutePath().toString(), '-e', env, '-p', "version=$version")
        List<String> lines = plan.out.readLines()
        int rollback = lines.indexOf('Rollback plan')

        then:
        plan.code == 0
        lines.count { it.contains('undo: ') } == steps
        lines.drop(rollback + 2).takeWhile { it.trim() }.collect { (it =~ /^\s+\d+\.\s+(\S+)/)[0][1] } == undone
        plan.out.contains(warning)
        plan.out.contains('Irreversible steps\n  none: every step with an effect has an undo')

        where:
        playbook                               | env              | version  | steps | warning                           || undone
        'tyk-portal/docker.groovy'             | 'testbed'        | '1.14.1' | 12    | 'backup/database: restoring'      || ['upgrade/portal', 'backup/theme', 'backup/database', 'stop/portal', 'preflight/current-version']
        'tyk-portal/compose.groovy'            | 'testbed'        | '1.14.1' | 14    | 'backup/database: restoring'      || ['upgrade/portal', 'backup/theme', 'backup/database', 'compose-file/portal-image', 'stop/portal', 'preflight/current-version']
        'tyk-portal/linux.groovy'              | 'testbed-debian' | '1.14.1' | 12    | 'backup/database: restoring'      || ['upgrade/start', 'backup/database', 'install/package', 'install/config', 'stop/portal', 'preflight/current-version']
        'tyk-portal/linux.groovy'              | 'testbed-rhel'   | '1.14.1' | 12    | 'backup/database: restoring'      || ['upgrade/start', 'backup/database', 'install/package', 'install/config', 'stop/portal', 'preflight/current-version']
        'tyk-gateway/docker.groovy'            | 'testbed'        | '5.3.0'  | 8     | 'backup/config: restoring'        || ['upgrade/gateway', 'backup/config', 'stop/gateway', 'preflight/current-version']
        'tyk-gateway/compose.groovy'           | 'testbed'        | '5.3.0'  | 10    | 'backup/config: restoring'        || ['upgrade/gateway', 'compose-file/gateway-image', 'backup/config', 'stop/gateway', 'preflight/current-version']
        'tyk-gateway/hybrid-docker.groovy'     | 'testbed-hybrid' | '5.3.0'  | 9     | 'backup/config: restoring'        || ['upgrade/gateway', 'backup/config', 'stop/gateway', 'preflight/current-version']
        'tyk-gateway/linux-rolling.groovy'     | 'testbed-hosts'  | '5.3.0'  | 24    | 'Data a rollback would lose\n  none' || (6..1).collectMany { ["gateways/gateway@gw-$it", "gateways/config@gw-$it"]*.toString() }
    }
}
