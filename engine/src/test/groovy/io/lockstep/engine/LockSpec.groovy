package io.lockstep.engine

import io.lockstep.engine.model.ApprovalGate
import io.lockstep.engine.spi.LockHeldException
import io.lockstep.engine.spi.LockHolder
import io.lockstep.engine.support.MemoryJournalStore
import io.lockstep.engine.support.Playbooks
import spock.lang.Specification

import java.time.Instant

import static io.lockstep.engine.support.Playbooks.playbook

class LockSpec extends Specification {

    def store = new MemoryJournalStore()
    def engine = Lockstep.builder().store(store).user('ops').build()
    def pb = new Playbooks()

    def "a second run of the same playbook and environment is refused with the holder's name"() {
        given:
        def gated = playbook(new ApprovalGate('go', 'go', 'go?'))
        def first = engine.run(gated, RunOptions.DEFAULTS)

        when:
        engine.run(playbook(pb.step('a').build()), RunOptions.DEFAULTS)

        then:
        def e = thrown(LockHeldException)
        e.message.startsWith("spec@test is locked by run ${first.runId()} (started by ops on ")
        e.hint() == "finish that run first: `lockstep resume ${first.runId()}` or `lockstep rollback ${first.runId()}`; see `lockstep status ${first.runId()}`"
        pb.trace.isEmpty()
        store.journals.size() == 1
    }

    def "the lock is released when a run ends, so the next run starts"() {
        when:
        engine.run(playbook(pb.step('a').build()), RunOptions.DEFAULTS)
        def second = engine.run(playbook(pb.step('b').build()), RunOptions.DEFAULTS)

        then:
        second.status() == RunStatus.SUCCEEDED
        store.locks.isEmpty()
    }

    def "a lock left by a run that already ended (crash before unlock) is taken over"() {
        given:
        def ended = engine.run(playbook(pb.step('a').build()), RunOptions.DEFAULTS)
        store.locks['spec@test'] = new LockHolder(ended.runId(), 'ops', 'h', 1, Instant.now())

        when:
        def result = engine.run(playbook(pb.step('b').build()), RunOptions.DEFAULTS)

        then:
        result.status() == RunStatus.SUCCEEDED
    }

    def "other environments of the same playbook are not blocked"() {
        given:
        engine.run(playbook(new ApprovalGate('go', 'go', 'go?')), RunOptions.DEFAULTS)
        def other = new io.lockstep.engine.model.Playbook('spec', 'staging', playbook(pb.step('a').build()).root(), [:], [:], [], null, null)

        expect:
        engine.run(other, RunOptions.DEFAULTS).status() == RunStatus.SUCCEEDED
    }

    def "a run cannot be resumed while another live process on this host still drives it"() {
        given:
        def gated = playbook(new ApprovalGate('go', 'go', 'go?'), pb.step('after').build())
        def paused = engine.run(gated, RunOptions.DEFAULTS)
        long livePid = ProcessHandle.current().parent().get().pid()
        String host = InetAddress.localHost.hostName
        store.locks['spec@test'] = new LockHolder(paused.runId(), 'ops', host, livePid, Instant.now())
        engine.approve(paused.runId(), 'go', 'ops', null)

        when:
        engine.resume(paused.runId(), gated, ResumeOptions.DEFAULTS)

        then:
        def e = thrown(LockstepException)
        e.message == "run ${paused.runId()} is being driven by another process: pid ${livePid} on ${host}"
        pb.trace.isEmpty()

        when: 'that process is gone, as after a crash'
        store.locks['spec@test'] = new LockHolder(paused.runId(), 'ops', host, deadPid(), Instant.now())
        def resumed = engine.resume(paused.runId(), gated, ResumeOptions.DEFAULTS)

        then:
        resumed.status() == RunStatus.SUCCEEDED
        pb.trace == ['do after']
    }

    /** The pid of a process that has exited. */
    static long deadPid() {
        def process = new ProcessBuilder('true').start()
        process.waitFor()
        process.pid()
    }
}
