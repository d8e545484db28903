package io.lockstep.engine

import io.lockstep.engine.model.Action
import io.lockstep.engine.model.Step
import io.lockstep.engine.support.MemoryJournalStore
import io.lockstep.engine.support.Playbooks
import spock.lang.Specification

import static io.lockstep.engine.support.Playbooks.playbook
import static io.lockstep.engine.support.Playbooks.seq

class RunSpec extends Specification {

    def store = new MemoryJournalStore()
    def events = [].asSynchronized()
    def engine = Lockstep.builder().store(store).listener { events << it }.user('alice').build()
    def pb = new Playbooks()

    def "steps run in order and later steps read earlier outputs"() {
        given:
        def read = Step.builder('upgrade/read', { ctx ->
            [seen: ctx.outputs('backup/copy').path]
        } as Action).build()
        def copy = Step.builder('backup/copy', { ctx -> [path: '/tmp/x.bak', size: 42] } as Action).build()

        when:
        def result = engine.run(playbook(seq('backup', copy), seq('upgrade', read)), RunOptions.DEFAULTS)

        then:
        result.status() == RunStatus.SUCCEEDED
        result.outputs()['upgrade/read'] == [seen: '/tmp/x.bak']
        result.outputs()['backup/copy'] == [path: '/tmp/x.bak', size: 42]
        store.trace(result.runId()) == [
            'RUN_STARTED',
            'STEP_STARTED backup/copy', 'STEP_FINISHED backup/copy',
            'STEP_STARTED upgrade/read', 'STEP_FINISHED upgrade/read',
            'RUN_STATUS']
        store.records(result.runId()).last().data() == [status: 'SUCCEEDED', message: 'all 2 steps finished']
    }

    def "the started record is in the journal before the action runs"() {
        given:
        List<String> seenByAction = []
        def step = Step.builder('look', { ctx ->
            seenByAction.addAll(store.trace(ctx.runId()))
            [:]
        } as Action).build()

        when:
        engine.run(playbook(step), RunOptions.DEFAULTS)

        then:
        seenByAction == ['RUN_STARTED', 'STEP_STARTED look']
    }

    def "listeners get events in order and a failing listener does not break the run"() {
        given:
        def broken = Lockstep.builder().store(store)
            .listener { throw new RuntimeException('listener bug') }
            .listener { events << it }
            .build()

        when:
        def result = broken.run(playbook(pb.step('a').build(), pb.step('b').build()), RunOptions.DEFAULTS)

        then:
        result.status() == RunStatus.SUCCEEDED
        events.collect { "${it.type()} ${it.stepId() ?: ''}".trim() } == [
            'RUN_STARTED', 'STEP_STARTED a', 'STEP_FINISHED a', 'STEP_STARTED b', 'STEP_FINISHED b', 'RUN_FINISHED']
        events.last().status() == RunStatus.SUCCEEDED
    }

    def "a step failure with retries journals each attempt and succeeds on the third"() {
        given:
        int calls = 0
        def flaky = Step.builder('flaky', { ctx ->
            if (++calls < 3) {
                throw new IOException("connection refused (attempt ${ctx.attempt()})")
            }
            [attempt: ctx.attempt()]
        } as Action).retry(io.lockstep.engine.model.RetryPolicy.attempts(3, java.time.Duration.ofMillis(10))).build()

        when:
        def result = engine.run(playbook(flaky), RunOptions.DEFAULTS)

        then:
        result.status() == RunStatus.SUCCEEDED
        result.outputs().flaky == [attempt: 3]
        store.records(result.runId()).findAll { it.stepId() == 'flaky' }.collect { "${it.type()} ${it.data().attempt ?: ''} ${it.data().final ?: ''}".trim() } == [
            'STEP_STARTED 1', 'STEP_FAILED 1', 'STEP_STARTED 2', 'STEP_FAILED 2', 'STEP_STARTED 3', 'STEP_FINISHED']
        store.records(result.runId()).find { it.type().name() == 'STEP_FAILED' }.data().error == 'connection refused (attempt 1)'
        events.count { it.type() == RunEvent.Type.STEP_RETRYING } == 2
    }

    def "a step over its timeout fails with a clear message even when it ignores interruption"() {
        given:
        def stubborn = Step.builder('stubborn', { ctx ->
            long end = System.currentTimeMillis() + 4000
            while (System.currentTimeMillis() < end) {
                try {
                    Thread.sleep(50)
                } catch (InterruptedException ignored) {
                    // a badly behaved client library swallowing the interrupt
                }
            }
            [:]
        } as Action).timeout(java.time.Duration.ofMillis(200)).build()

        when:
        def result = engine.run(playbook(stubborn), RunOptions.DEFAULTS.withRollbackOnFailure(false))

        then:
        result.status() == RunStatus.FAILED
        result.failedStep() == 'stubborn'
        result.error() == 'timed out after 200ms'
    }

    def "outputs that cannot be journaled fail the step and name the output"() {
        given:
        def bad = Step.builder('bad', { ctx -> [thread: Thread.currentThread()] } as Action).build()

        when:
        def result = engine.run(playbook(bad), RunOptions.DEFAULTS)

        then:
        result.status() == RunStatus.ROLLED_BACK
        result.error().startsWith("output 'thread' is a java.lang.Thread")
    }

    def "duplicate step ids are refused before anything runs"() {
        when:
        engine.run(playbook(pb.step('a').build(), pb.step('a').build()), RunOptions.DEFAULTS)

        then:
        def e = thrown(LockstepException)
        e.message == "two nodes have the id 'a'; ids must be unique in a playbook"
        pb.trace.isEmpty()
        store.journals.isEmpty()
    }
}
