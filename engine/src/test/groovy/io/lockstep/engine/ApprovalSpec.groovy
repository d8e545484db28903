package io.lockstep.engine

import io.lockstep.engine.model.ApprovalGate
import io.lockstep.engine.support.MemoryJournalStore
import io.lockstep.engine.support.Playbooks
import spock.lang.Specification

import static io.lockstep.engine.support.Playbooks.playbook

class ApprovalSpec extends Specification {

    def store = new MemoryJournalStore()
    def engine = Lockstep.builder().store(store).user('ops').build()
    def pb = new Playbooks()
    def gate = new ApprovalGate('release-notes', 'release-notes', 'Have you read the 1.14.0 release notes?')

    def "a gate pauses the run, keeps the lock, and approval continues it"() {
        given:
        def playbook = playbook(pb.step('backup').build(), gate, pb.step('upgrade').build())

        when:
        def paused = engine.run(playbook, RunOptions.DEFAULTS)

        then:
        paused.status() == RunStatus.AWAITING_APPROVAL
        paused.waitingFor() == ['release-notes']
        pb.trace == ['do backup']
        store.locks['spec@test'].runId() == paused.runId()

        when:
        engine.approve(paused.runId(), null, 'dana', 'read them')
        def finished = engine.resume(paused.runId(), playbook, ResumeOptions.DEFAULTS)

        then:
        finished.status() == RunStatus.SUCCEEDED
        pb.trace == ['do backup', 'do upgrade']
        store.records(paused.runId()).find { it.type().name() == 'APPROVAL_GRANTED' }.data() == [by: 'dana', comment: 'read them']
        store.locks.isEmpty()
    }

    def "a pre-approved gate is journaled with who approved it and does not pause"() {
        when:
        def result = engine.run(playbook(gate, pb.step('upgrade').build()), RunOptions.DEFAULTS.withPreApproved(['release-notes'] as Set, 'erin'))

        then:
        result.status() == RunStatus.SUCCEEDED
        store.records(result.runId()).find { it.type().name() == 'APPROVAL_GRANTED' }.data().by == 'erin'
    }

    def "a gate pre-approved without a name is journaled as approved by the engine's user"() {
        when:
        def result = engine.run(playbook(gate, pb.step('upgrade').build()), RunOptions.DEFAULTS.withPreApproved(['release-notes'] as Set, null))

        then:
        result.status() == RunStatus.SUCCEEDED
        store.records(result.runId()).find { it.type().name() == 'APPROVAL_GRANTED' }.data().by == 'ops'
    }

    def "approving a run that is not waiting says so"() {
        given:
        def runId = engine.run(playbook(pb.step('a').build()), RunOptions.DEFAULTS).runId()

        when:
        engine.approve(runId, 'release-notes', 'x', null)

        then:
        def e = thrown(LockstepException)
        e.message == "run ${runId} is not waiting for an approval (it is succeeded)"
    }

    def "approving the wrong gate names the gates that wait"() {
        given:
        def runId = engine.run(playbook(gate), RunOptions.DEFAULTS).runId()

        when:
        engine.approve(runId, 'theme', 'x', null)

        then:
        def e = thrown(LockstepException)
        e.message == "gate 'theme' of run ${runId} is not waiting for approval"
        e.hint() == 'waiting: [release-notes]'
    }

    def "a paused run can be rolled back instead of approved"() {
        given:
        def playbook = playbook(pb.step('backup').build(), gate, pb.step('upgrade').build())
        def runId = engine.run(playbook, RunOptions.DEFAULTS).runId()

        when:
        def result = engine.rollback(runId, playbook)

        then:
        result.status() == RunStatus.ROLLED_BACK
        pb.trace == ['do backup', 'undo backup']
    }
}
