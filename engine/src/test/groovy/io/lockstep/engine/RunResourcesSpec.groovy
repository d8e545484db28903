package io.lockstep.engine

import io.lockstep.engine.model.Action
import io.lockstep.engine.model.ApprovalGate
import io.lockstep.engine.model.Compensation
import io.lockstep.engine.model.Parallel
import io.lockstep.engine.model.Step
import io.lockstep.engine.support.MemoryJournalStore
import io.lockstep.engine.support.Playbooks
import spock.lang.Specification

import java.util.concurrent.CountDownLatch
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicInteger

import static io.lockstep.engine.support.Playbooks.playbook
import static io.lockstep.engine.support.Playbooks.seq

/** Resources the steps of a run share (one SSH connection per host), closed when the run stops. */
class RunResourcesSpec extends Specification {

    def store = new MemoryJournalStore()
    def engine = Lockstep.builder().store(store).build()
    def pb = new Playbooks()
    List<String> events = [].asSynchronized()
    AtomicInteger opened = new AtomicInteger()

    /** A connection that says when it opens and closes. */
    class Connection implements AutoCloseable {
        final String host
        final int number

        Connection(String host) {
            this.host = host
            this.number = opened.incrementAndGet()
            events << "open $host #$number".toString()
        }

        @Override
        void close() { events << "close $host #$number".toString() }
    }

    /** A step that uses the run's connection to a host. */
    Step.Builder using(String id, String host) {
        Step.builder(id, { ctx ->
            Connection c = ctx.resources().get("ssh:$host".toString(), Connection, { new Connection(host) })
            events << "$id uses $host #${c.number}".toString()
            [:]
        } as Action)
    }

    def "steps on one host share one connection, each host has its own, and all close when the run ends, last opened first"() {
        when:
        def result = engine.run(playbook(using('a', 'gw-1').build(), using('b', 'gw-2').build(), using('c', 'gw-1').build()),
            RunOptions.DEFAULTS)

        then:
        result.status() == RunStatus.SUCCEEDED
        events == ['open gw-1 #1', 'a uses gw-1 #1', 'open gw-2 #2', 'b uses gw-2 #2', 'c uses gw-1 #1',
                   'close gw-2 #2', 'close gw-1 #1']
    }

    def "parallel branches asking at once get the same connection, opened once"() {
        given:
        CountDownLatch together = new CountDownLatch(4)
        List<Step> branches = (1..4).collect { n ->
            Step.builder("b$n", { ctx ->
                together.countDown()
                together.await(5, TimeUnit.SECONDS)
                ctx.resources().get('ssh:gw-1', Connection, { Thread.sleep(50); new Connection('gw-1') })
                [:]
            } as Action).build()
        }

        when:
        def result = engine.run(playbook(new Parallel('all', 'all', 0, branches.collect { seq("s-${it.id()}", it) })),
            RunOptions.DEFAULTS)

        then:
        result.status() == RunStatus.SUCCEEDED
        opened.get() == 1
        events == ['open gw-1 #1', 'close gw-1 #1']
    }

    def "compensations use the run's connections too, and they close after the rollback"() {
        given:
        Step.Builder upgrade = using('upgrade', 'gw-1').compensation(Compensation.of('downgrade', { ctx ->
            Connection c = ctx.resources().get('ssh:gw-1', Connection, { new Connection('gw-1') })
            events << "downgrade uses gw-1 #${c.number}".toString()
            [:]
        } as Action))

        when:
        def result = engine.run(playbook(upgrade.build(), pb.failing('check').build()), RunOptions.DEFAULTS)

        then:
        result.status() == RunStatus.ROLLED_BACK
        events == ['open gw-1 #1', 'upgrade uses gw-1 #1', 'downgrade uses gw-1 #1', 'close gw-1 #1']
    }

    def "a run that pauses for an approval closes its connections, and the resumed run opens its own"() {
        given:
        def gate = new ApprovalGate('go', 'go', 'Go on?')
        def pausing = playbook(using('before', 'gw-1').build(), gate, using('after', 'gw-1').build())

        when:
        def paused = engine.run(pausing, RunOptions.DEFAULTS)

        then:
        paused.status() == RunStatus.AWAITING_APPROVAL
        events == ['open gw-1 #1', 'before uses gw-1 #1', 'close gw-1 #1']

        when:
        engine.approve(paused.runId(), 'go', 'ops', null)
        engine.resume(paused.runId(), pausing, ResumeOptions.DEFAULTS)

        then:
        events.drop(3) == ['open gw-1 #2', 'after uses gw-1 #2', 'close gw-1 #2']
    }

    def "an opener that fails leaves nothing behind, and a discarded connection is closed and opened afresh"() {
        given:
        int attempts = 0
        Step flaky = Step.builder('flaky', { ctx ->
            try {
                ctx.resources().get('ssh:gw-1', Connection, { if (++attempts == 1) throw new IOException('refused'); new Connection('gw-1') })
            } catch (IOException e) {
                events << "failed: ${e.message}".toString()
                ctx.resources().get('ssh:gw-1', Connection, { new Connection('gw-1') })
            }
            ctx.resources().discard('ssh:gw-1')
            ctx.resources().get('ssh:gw-1', Connection, { new Connection('gw-1') })
            [:]
        } as Action).build()

        when:
        engine.run(playbook(flaky), RunOptions.DEFAULTS)

        then:
        events == ['failed: refused', 'open gw-1 #1', 'close gw-1 #1', 'open gw-1 #2', 'close gw-1 #2']
    }
}
