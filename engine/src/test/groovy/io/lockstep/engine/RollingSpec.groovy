package io.lockstep.engine

import io.lockstep.engine.model.Group
import io.lockstep.engine.model.Rolling
import io.lockstep.engine.model.Target
import io.lockstep.engine.support.MemoryJournalStore
import io.lockstep.engine.support.Playbooks
import spock.lang.Specification

import static io.lockstep.engine.support.Playbooks.playbook

class RollingSpec extends Specification {

    def store = new MemoryJournalStore()
    def engine = Lockstep.builder().store(store).build()
    def pb = new Playbooks()

    /** Six gateways in batches [1, 2, 3]; the body installs then restarts; hosts in failOn fail to restart. */
    Rolling gateways(Set<String> failOn, double maxFailureShare, boolean parallel = false) {
        def hosts = (1..6).collect { "gw-${it}".toString() }
        def member = { String host ->
            def target = Target.named(host)
            def install = pb.step("gateways/install@${host}").target(target).build()
            def restart = failOn.contains(host)
                ? pb.failing("gateways/restart@${host}").target(target).build()
                : pb.step("gateways/restart@${host}").target(target).build()
            new Rolling.Member(target, new Group("gateways@${host}", host, Group.Kind.SEQUENCE, [install, restart]))
        }
        def batches = [[hosts[0]], hosts[1..2], hosts[3..5]].withIndex().collect { List<String> names, int i ->
            new Rolling.Batch(i + 1, names.collect(member))
        }
        new Rolling('gateways', 'gateways', batches, maxFailureShare, parallel, "[1, 2, 3]")
    }

    def "a failure in a batch stops later batches and rolls back every upgraded host, last first"() {
        when:
        def result = engine.run(playbook(gateways(['gw-3'] as Set, 0.0)), RunOptions.DEFAULTS)

        then:
        result.status() == RunStatus.ROLLED_BACK
        pb.trace == [
            'do gateways/install@gw-1', 'do gateways/restart@gw-1',
            'do gateways/install@gw-2', 'do gateways/restart@gw-2',
            'do gateways/install@gw-3', 'do gateways/restart@gw-3',
            'undo gateways/install@gw-3',
            'undo gateways/restart@gw-2', 'undo gateways/install@gw-2',
            'undo gateways/restart@gw-1', 'undo gateways/install@gw-1']
        result.error() == '1 of 6 targets failed in gateways (at most 0% may fail); last failure: gateways/restart@gw-3: gateways/restart@gw-3 broke'
    }

    def "a failure within the allowed share rolls back that host alone and the rollout goes on"() {
        when:
        def result = engine.run(playbook(gateways(['gw-2'] as Set, 0.2)), RunOptions.DEFAULTS)

        then:
        result.status() == RunStatus.SUCCEEDED
        pb.trace.findAll { it.startsWith('undo') } == ['undo gateways/install@gw-2']
        pb.trace.count { it.startsWith('do gateways/restart') } == 6
        store.records(result.runId()).find { it.type().name() == 'TARGET_FAILED' }.with { [it.stepId(), it.data().step] } ==
            ['gateways@gw-2', 'gateways/restart@gw-2']
    }

    def "the second failure over the allowed share stops the rollout and rolls back everything left"() {
        when:
        def result = engine.run(playbook(gateways(['gw-2', 'gw-4'] as Set, 0.2)), RunOptions.DEFAULTS)

        then:
        result.status() == RunStatus.ROLLED_BACK
        !pb.trace.contains('do gateways/install@gw-5')
        pb.trace.findAll { it.startsWith('undo') } == [
            'undo gateways/install@gw-2',
            'undo gateways/install@gw-4',
            'undo gateways/restart@gw-3', 'undo gateways/install@gw-3',
            'undo gateways/restart@gw-1', 'undo gateways/install@gw-1']
    }

    def "members of a batch may run in parallel; a failing member still stops the rollout"() {
        when:
        def result = engine.run(playbook(gateways(['gw-5'] as Set, 0.0, true)), RunOptions.DEFAULTS)

        then:
        result.status() == RunStatus.ROLLED_BACK
        pb.trace.findAll { it.startsWith('do gateways/restart') }.size() == 6
        pb.trace.findAll { it.startsWith('undo') }.toSet() == [
            'undo gateways/install@gw-5',
            'undo gateways/restart@gw-4', 'undo gateways/install@gw-4',
            'undo gateways/restart@gw-6', 'undo gateways/install@gw-6',
            'undo gateways/restart@gw-3', 'undo gateways/install@gw-3',
            'undo gateways/restart@gw-2', 'undo gateways/install@gw-2',
            'undo gateways/restart@gw-1', 'undo gateways/install@gw-1'] as Set
        def undone = pb.trace.findAll { it.startsWith('undo') }.collect { it.substring(it.indexOf('@') + 1) }.unique()
        def batchOf = ['gw-1': 1, 'gw-2': 2, 'gw-3': 2, 'gw-4': 3, 'gw-5': 3, 'gw-6': 3]
        undone.collect { batchOf[it] } == undone.collect { batchOf[it] }.sort(false).reverse()
        undone.last() == 'gw-1'
    }
}
