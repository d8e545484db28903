package io.lockstep.engine

import io.lockstep.engine.model.Action
import io.lockstep.engine.model.Probe
import io.lockstep.engine.model.Step
import io.lockstep.engine.support.MemoryJournalStore
import io.lockstep.engine.support.Playbooks
import spock.lang.Specification
import spock.lang.Unroll

import static io.lockstep.engine.support.Playbooks.playbook

/**
 * Resume rules on journals a crash would leave: finished steps are skipped with their outputs,
 * in-doubt steps are decided by probe, by idempotency, or by the operator.
 */
class ResumeSpec extends Specification {

    def store = new MemoryJournalStore()
    def engine = Lockstep.builder().store(store).user('bob').build()
    def pb = new Playbooks()

    /** Runs the playbook, then cuts the journal after the record where the step started. */
    String crashDuring(io.lockstep.engine.model.Playbook playbook, String stepId) {
        def result = engine.run(playbook, RunOptions.DEFAULTS)
        def records = store.records(result.runId())
        int started = records.findIndexOf { it.type().name() == 'STEP_STARTED' && it.stepId() == stepId }
        store.truncate(result.runId(), started + 1)
        store.lock('spec@test', new io.lockstep.engine.spi.LockHolder(result.runId(), 'bob', 'h', 1, java.time.Instant.now()))
        pb.trace.clear()
        result.runId()
    }

    def "finished steps are skipped with their recorded outputs"() {
        given:
        def reader = Step.builder('c', { ctx -> pb.trace << 'do c'; [got: ctx.outputs('a').done] } as Action).build()
        def playbook = playbook(pb.step('a').build(), pb.step('b').idempotent(true).build(), reader)
        def runId = crashDuring(playbook, 'b')

        when:
        def result = engine.resume(runId, playbook, ResumeOptions.DEFAULTS)

        then:
        result.status() == RunStatus.SUCCEEDED
        pb.trace == ['do b', 'do c']
        result.outputs().c == [got: 'a']
        store.trace(runId).findAll { it.startsWith('STEP_DECIDED') } == ['STEP_DECIDED b']
        store.records(runId).find { it.type().name() == 'STEP_DECIDED' }.data().decision == 'rerun-idempotent'
    }

    @Unroll
    def "an in-doubt step whose probe says #probeSays is #expected"() {
        given:
        def probe = { ctx -> probeSays == 'done' ? Optional.of([image: 'portal:1.14.0']) : Optional.empty() } as Probe
        def playbook = playbook(pb.step('a').build(), pb.step('b').probe(probe).build(), pb.step('c').build())
        def runId = crashDuring(playbook, 'b')

        when:
        def result = engine.resume(runId, playbook, ResumeOptions.DEFAULTS)

        then:
        result.status() == RunStatus.SUCCEEDED
        pb.trace == trace
        store.records(runId).find { it.type().name() == 'STEP_DECIDED' }.data().decision == decision
        result.outputs().b == outputs

        where:
        probeSays | expected           || trace              | decision         | outputs
        'done'    | 'not run again'    || ['do c']           | 'probe-done'     | [image: 'portal:1.14.0']
        'not done'| 'run again'        || ['do b', 'do c']   | 'probe-not-done' | [done: 'b']
    }

    def "an in-doubt step that is neither idempotent nor probed stops the run and names the decision"() {
        given:
        def playbook = playbook(pb.step('a').build(), pb.step('rpm-upgrade').build(), pb.step('c').build())
        def runId = crashDuring(playbook, 'rpm-upgrade')

        when:
        def result = engine.resume(runId, playbook, ResumeOptions.DEFAULTS)

        then:
        result.status() == RunStatus.NEEDS_DECISION
        result.waitingFor() == ['rpm-upgrade']
        result.error() == 'it was running when the engine stopped, is not idempotent and has no probe: check whether its effect is in place'
        pb.trace.isEmpty()
        store.locks['spec@test'].runId() == runId
    }

    @Unroll
    def "the operator's #choice decides an in-doubt step"() {
        given:
        def playbook = playbook(pb.step('a').build(), pb.step('rpm-upgrade').build(), pb.step('c').build())
        def runId = crashDuring(playbook, 'rpm-upgrade')
        engine.resume(runId, playbook, ResumeOptions.DEFAULTS)

        when:
        def result = engine.resume(runId, playbook, options)

        then:
        result.status() == RunStatus.SUCCEEDED
        pb.trace == trace
        def decided = store.records(runId).find { it.type().name() == 'STEP_DECIDED' }
        decided.data() == [decision: choice, by: 'carol']

        where:
        choice      | options                                                                       || trace
        'mark-done' | new ResumeOptions(['rpm-upgrade'] as Set, [] as Set, 'carol', false, true)     || ['do c']
        'retry'     | new ResumeOptions([] as Set, ['rpm-upgrade'] as Set, 'carol', false, true)     || ['do rpm-upgrade', 'do c']
    }

    def "a decision without a name is journaled as decided by the engine's user"() {
        given:
        def playbook = playbook(pb.step('a').build(), pb.step('rpm-upgrade').build(), pb.step('c').build())
        def runId = crashDuring(playbook, 'rpm-upgrade')

        when:
        def result = engine.resume(runId, playbook, new ResumeOptions(['rpm-upgrade'] as Set, [] as Set, null, false, true))

        then:
        result.status() == RunStatus.SUCCEEDED
        store.records(runId).find { it.type().name() == 'STEP_DECIDED' }.data() == [decision: 'mark-done', by: 'bob']
        store.records(runId).find { it.type().name() == 'RUN_STATUS' && it.data().message.startsWith('resumed') }.data().message == 'resumed by bob'
    }

    def "a resume refuses a changed playbook unless told to allow it"() {
        given:
        def original = Playbooks.playbook('v1', pb.step('a').build(), pb.step('b').idempotent(true).build())
        def runId = crashDuring(original, 'b')
        def changed = Playbooks.playbook('v2', pb.step('a').build(), pb.step('b').idempotent(true).build())

        when:
        engine.resume(runId, changed, ResumeOptions.DEFAULTS)

        then:
        def e = thrown(LockstepException)
        e.message == "the playbook or environment of run ${runId} changed since it started"
        e.hint().contains('--allow-changed')
        pb.trace.isEmpty()

        when:
        def result = engine.resume(runId, changed, new ResumeOptions([] as Set, [] as Set, null, true, true))

        then:
        result.status() == RunStatus.SUCCEEDED
    }

    def "a finished run cannot be resumed"() {
        given:
        def playbook = playbook(pb.step('a').build())
        def runId = engine.run(playbook, RunOptions.DEFAULTS).runId()

        when:
        engine.resume(runId, playbook, ResumeOptions.DEFAULTS)

        then:
        def e = thrown(LockstepException)
        e.message == "run ${runId} has succeeded; there is nothing to resume"
    }

    def "a finished run is refused as finished even while a newer run holds the lock"() {
        given:
        def simple = playbook(pb.step('a').build())
        def gated = playbook(new io.lockstep.engine.model.ApprovalGate('go', 'go', 'go?'))
        def finished = engine.run(simple, RunOptions.DEFAULTS).runId()
        def newer = engine.run(gated, RunOptions.DEFAULTS).runId()

        when:
        engine.resume(finished, simple, ResumeOptions.DEFAULTS)

        then:
        def e = thrown(LockstepException)
        e.message == "run ${finished} has succeeded; there is nothing to resume"
        store.locks['spec@test'].runId() == newer
    }

    def "a rollback killed half way finishes on resume without repeating finished compensations"() {
        given:
        def playbook = playbook(pb.step('a').build(), pb.step('b').build(), pb.step('c').build(), pb.failing('d').build())
        def result = engine.run(playbook, RunOptions.DEFAULTS)
        def records = store.records(result.runId())
        int cut = records.findIndexOf { it.type().name() == 'COMPENSATION_STARTED' && it.stepId() == 'b' }
        store.truncate(result.runId(), cut + 1)
        pb.trace.clear()

        when:
        def resumed = engine.resume(result.runId(), playbook, ResumeOptions.DEFAULTS)

        then:
        resumed.status() == RunStatus.ROLLED_BACK
        pb.trace == ['undo b', 'undo a']
        resumed.compensated() == ['c', 'b', 'a']
    }

    def "rolling back a crashed run compensates the in-doubt step too, newest first"() {
        given:
        def playbook = playbook(pb.step('a').build(), pb.step('b').build(), pb.step('c').build())
        def runId = crashDuring(playbook, 'c')

        when:
        def result = engine.rollback(runId, playbook)

        then:
        result.status() == RunStatus.ROLLED_BACK
        pb.trace == ['undo c', 'undo b', 'undo a']
    }
}
