package io.lockstep.engine

import io.lockstep.engine.model.Action
import io.lockstep.engine.model.SecretRef
import io.lockstep.engine.model.Step
import io.lockstep.engine.model.Template
import io.lockstep.engine.support.MemoryJournalStore
import spock.lang.Specification

import static io.lockstep.engine.support.Playbooks.playbook

class MaskingSpec extends Specification {

    static final String PASSWORD = 's3cr3t-Pa55'

    def store = new MemoryJournalStore()
    def events = [].asSynchronized()
    def engine = Lockstep.builder().store(store)
        .secrets { name -> name == 'db-password' ? Optional.of(PASSWORD) : Optional.empty() }
        .listener { events << it }
        .build()

    def "secret values never reach events, outputs, errors or the journal"() {
        given:
        def connect = Step.builder('connect', { ctx ->
            String url = ctx.resolveText(new Template(['postgres://portal:', new SecretRef('db-password'), '@127.0.0.1/portal']))
            ctx.log("connecting to ${url}")
            [url: url, nested: [list: [url]]]
        } as Action).build()
        def fail = Step.builder('fail', { ctx ->
            throw new IOException("auth failed for password ${ctx.secret('db-password')}")
        } as Action).build()

        when:
        def result = engine.run(playbook(connect, fail), RunOptions.DEFAULTS)

        then:
        result.outputs().connect == [url: 'postgres://portal:****@127.0.0.1/portal', nested: [list: ['postgres://portal:****@127.0.0.1/portal']]]
        result.error() == 'auth failed for password ****'
        events.find { it.type() == RunEvent.Type.STEP_LOG }.message() == 'connecting to postgres://portal:****@127.0.0.1/portal'
        !store.records(result.runId()).toString().contains(PASSWORD)
        !events.toString().contains(PASSWORD)
        !result.toString().contains(PASSWORD)
    }

    def "a missing secret fails the step with what to set"() {
        given:
        def step = Step.builder('s', { ctx -> ctx.secret('api-token'); [:] } as Action).build()

        when:
        def result = engine.run(playbook(step), RunOptions.DEFAULTS)

        then:
        result.error() == "secret 'api-token' has no value (the default resolver reads the environment variable LOCKSTEP_SECRET_API_TOKEN)"
    }
}
