package io.lockstep.engine

import io.lockstep.engine.model.Action
import io.lockstep.engine.model.Compensation
import io.lockstep.engine.model.Parallel
import io.lockstep.engine.model.Step
import io.lockstep.engine.support.MemoryJournalStore
import io.lockstep.engine.support.Playbooks
import spock.lang.Specification

import static io.lockstep.engine.support.Playbooks.playbook
import static io.lockstep.engine.support.Playbooks.seq

class RollbackSpec extends Specification {

    def store = new MemoryJournalStore()
    def engine = Lockstep.builder().store(store).build()
    def pb = new Playbooks()

    def "a failure undoes finished steps in reverse finishing order"() {
        given:
        def playbook = playbook(
            seq('backup', pb.step('backup/db').build()),
            seq('upgrade', pb.step('upgrade/stop').build(), pb.step('upgrade/start').build()),
            seq('verify', pb.failing('verify/health').build()))

        when:
        def result = engine.run(playbook, RunOptions.DEFAULTS)

        then:
        result.status() == RunStatus.ROLLED_BACK
        result.failedStep() == 'verify/health'
        result.error() == 'verify/health broke'
        pb.trace == [
            'do backup/db', 'do upgrade/stop', 'do upgrade/start', 'do verify/health',
            'undo upgrade/start', 'undo upgrade/stop', 'undo backup/db']
        result.compensated() == ['upgrade/start', 'upgrade/stop', 'backup/db']
        store.trace(result.runId()).dropWhile { it != 'ROLLBACK_STARTED' } == [
            'ROLLBACK_STARTED', 'RUN_STATUS',
            'COMPENSATION_STARTED upgrade/start', 'COMPENSATION_FINISHED upgrade/start',
            'COMPENSATION_STARTED upgrade/stop', 'COMPENSATION_FINISHED upgrade/stop',
            'COMPENSATION_STARTED backup/db', 'COMPENSATION_FINISHED backup/db',
            'RUN_STATUS']
        store.locks.isEmpty()
    }

    def "a compensation reads the outputs of the step it undoes"() {
        given:
        def seen = []
        def pull = Step.builder('pull', { ctx -> [previousImage: 'portal:1.13.0'] } as Action)
            .compensation(Compensation.of('redeploy previous', { ctx -> seen << ctx.ownOutputs().previousImage; [:] } as Action))
            .build()

        when:
        engine.run(playbook(pull, pb.failing('check').build()), RunOptions.DEFAULTS)

        then:
        seen == ['portal:1.13.0']
    }

    def "checks have nothing to undo and irreversible steps are reported, not skipped silently"() {
        given:
        def check = pb.step('check').compensation(Compensation.none()).build()
        def migrate = pb.step('migrate').compensation(Compensation.irreversible('migrations only run forward')).build()

        when:
        def result = engine.run(playbook(pb.step('backup').build(), check, migrate, pb.failing('verify').build()), RunOptions.DEFAULTS)

        then:
        result.status() == RunStatus.ROLLED_BACK
        pb.trace == ['do backup', 'do check', 'do migrate', 'do verify', 'undo backup']
        result.notUndone() == ['migrate (irreversible: migrations only run forward)']
    }

    def "a step with an effect but no declared undo is reported as not undone, and the plan says so"() {
        given:
        def script = pb.step('run-script').compensation(Compensation.undeclared()).build()
        def playbook = playbook(pb.step('backup').build(), script, pb.failing('verify').build())

        when:
        def result = engine.run(playbook, RunOptions.DEFAULTS)

        then:
        result.status() == RunStatus.ROLLED_BACK
        pb.trace == ['do backup', 'do run-script', 'do verify', 'undo backup']
        result.notUndone() == ['run-script (no undo declared)']
        Plan.of(playbook).undeclared()*.id() == ['run-script']
        Plan.of(playbook).irreversible().isEmpty()
    }

    def "a failing compensation stops the rollback and reports what was and was not undone"() {
        given:
        boolean restoreWorks = false
        def restore = Compensation.of('restore database', { ctx ->
            pb.trace << 'undo restore-db'
            if (!restoreWorks) {
                throw new IOException('pg_restore: connection refused')
            }
            [:]
        } as Action)
        def playbook = playbook(
            pb.step('backup').build(),
            pb.step('migrate').compensation(restore).build(),
            pb.step('deploy').build(),
            pb.failing('verify').build())

        when:
        def result = engine.run(playbook, RunOptions.DEFAULTS)

        then:
        result.status() == RunStatus.COMPENSATION_FAILED
        pb.trace == ['do backup', 'do migrate', 'do deploy', 'do verify', 'undo deploy', 'undo restore-db']
        result.compensated() == ['deploy']
        result.notUndone() == ['migrate (compensation failed: pg_restore: connection refused)', 'backup (not attempted)']
        result.message() == 'compensation of migrate failed: pg_restore: connection refused'
        store.locks.containsKey('spec@test')

        when: 'the operator fixes the database and rolls back again'
        restoreWorks = true
        pb.trace.clear()
        def again = engine.rollback(result.runId(), playbook)

        then: 'finished compensations are not repeated'
        again.status() == RunStatus.ROLLED_BACK
        pb.trace == ['undo restore-db', 'undo backup']
        again.compensated() == ['deploy', 'migrate', 'backup']
        store.locks.isEmpty()
    }

    def "a compensation is retried by its policy before the rollback gives up"() {
        given:
        int calls = 0
        def flakyUndo = Compensation.of('flaky undo', { ctx ->
            if (++calls < 2) {
                throw new IOException('busy')
            }
            [:]
        } as Action).withRetry(io.lockstep.engine.model.RetryPolicy.attempts(2, java.time.Duration.ofMillis(5)))

        when:
        def result = engine.run(playbook(pb.step('a').compensation(flakyUndo).build(), pb.failing('b').build()), RunOptions.DEFAULTS)

        then:
        result.status() == RunStatus.ROLLED_BACK
        store.trace(result.runId()).findAll { it.startsWith('COMPENSATION') } == [
            'COMPENSATION_STARTED a', 'COMPENSATION_FAILED a', 'COMPENSATION_STARTED a', 'COMPENSATION_FINISHED a']
    }

    def "with rollback disabled the run stops failed and rollback undoes it later"() {
        given:
        def playbook = playbook(pb.step('a').build(), pb.step('b').build(), pb.failing('c').build())

        when:
        def result = engine.run(playbook, RunOptions.DEFAULTS.withRollbackOnFailure(false))

        then:
        result.status() == RunStatus.FAILED
        pb.trace == ['do a', 'do b', 'do c']
        store.locks.containsKey('spec@test')

        when:
        def rolled = engine.rollback(result.runId(), playbook)

        then:
        rolled.status() == RunStatus.ROLLED_BACK
        pb.trace == ['do a', 'do b', 'do c', 'undo b', 'undo a']
        engine.status(result.runId()).status() == RunStatus.ROLLED_BACK
    }

    def "parallel branches: a failing branch stops the others and every finished step is undone in reverse finishing order"() {
        given:
        def slow = Step.builder('gw/slow', { ctx -> Thread.sleep(150); pb.trace << 'do gw/slow'; [:] } as Action)
            .compensation(pb.undo('gw/slow')).build()
        def fast = pb.step('pump/fast').build()
        def bad = Step.builder('dash/bad', { ctx -> Thread.sleep(50); pb.trace << 'do dash/bad'; throw new IOException('dashboard down') } as Action).build()
        def after = pb.step('dash/after').build()
        def playbook = playbook(pb.step('backup').build(),
            new Parallel('components', 'components', 0, [seq('gw', slow), seq('pump', fast), seq('dash', bad, after)]))

        when:
        def result = engine.run(playbook, RunOptions.DEFAULTS)

        then:
        result.status() == RunStatus.ROLLED_BACK
        !pb.trace.contains('do dash/after')
        pb.trace.takeRight(3) == ['undo gw/slow', 'undo pump/fast', 'undo backup']
        result.compensated() == ['gw/slow', 'pump/fast', 'backup']
    }
}
