package io.lockstep.dsl

import io.lockstep.engine.Plan
import io.lockstep.engine.model.ApprovalGate
import io.lockstep.engine.model.Compensation
import io.lockstep.engine.model.Group
import io.lockstep.engine.model.Parallel
import io.lockstep.engine.model.Playbook
import io.lockstep.engine.model.Rolling
import io.lockstep.engine.model.SecretRef
import io.lockstep.engine.model.Step
import io.lockstep.engine.model.StepContext
import io.lockstep.engine.model.Template
import spock.lang.Specification

import java.time.Duration

import static io.lockstep.dsl.Fixtures.DEMO
import static io.lockstep.dsl.Fixtures.STAGING

class PlaybookModelSpec extends Specification {

    Playbook playbook = Fixtures.loader().load(DEMO, STAGING, [version: '1.1.0'])

    private Step step(String id) {
        Plan.of(playbook).entries().find { it.id() == id }.step()
    }

    def "the playbook compiles to the tree it describes, in order"() {
        expect:
        playbook.name() == 'demo-service'
        playbook.environment() == 'staging'
        playbook.root().id() == ''
        playbook.root().label() == ''
        playbook.root().kind() == Group.Kind.SEQUENCE

        and:
        playbook.root().children()*.id() == ['preflight', 'backup', 'upgrade', 'go-live', 'checks', 'gateways', 'verify']
        playbook.root().children()*.getClass() == [Group, Group, Group, ApprovalGate, Parallel, Rolling, Group]
        playbook.root().children().findAll { it instanceof Group }*.kind().every { it == Group.Kind.PHASE }

        and:
        Plan.of(playbook).entries().findAll { it.kind() == Plan.Kind.STEP && !it.id().contains('@') }*.id() == [
                'preflight/current-version', 'backup/data',
                'upgrade/stop', 'upgrade/switch-release', 'upgrade/migrate', 'upgrade/connect',
                'checks/health', 'checks/logs/log', 'verify/version']
    }

    def "compensations are the type's default, declared, Groovy code, or irreversible"() {
        expect:
        step('preflight/current-version').compensation().kind() == Compensation.Kind.NONE
        step('backup/data').compensation().kind() == Compensation.Kind.ACTION
        step('backup/data').compensation().dataLossWarning() == 'writes made after the backup are lost'
        step('upgrade/stop').compensation().kind() == Compensation.Kind.ACTION
        step('upgrade/stop').compensation().description().contains('bin/service, start')
        step('upgrade/switch-release').compensation().description() == 'point current at the previous release'
        step('upgrade/switch-release').compensation().retry().maxAttempts() == 2
        step('upgrade/migrate').compensation().kind() == Compensation.Kind.IRREVERSIBLE
        step('upgrade/migrate').compensation().description() == 'migrations only run forward; restore the backup instead'

        and:
        Plan.of(playbook).rollbackOrder()*.id() == ['upgrade/migrate', 'upgrade/switch-release', 'upgrade/stop', 'backup/data']
        Plan.of(playbook).dataLossWarnings() == ['backup/data: writes made after the backup are lost']
    }

    def "a Groovy step keeps its options and its closures become the action, probe and compensation"() {
        given:
        Step s = step('upgrade/switch-release')
        StepContext context = Stub {
            attempt() >> 2
            ownOutputs() >> [previous: 'v0']
        }

        expect:
        s.type() == 'groovy'
        s.label() == 'switch the current release'
        s.description() == 'Groovy code at upgrade.groovy:20'
        s.idempotent()
        s.retry().maxAttempts() == 3
        s.retry().initialDelay() == Duration.ofSeconds(2)
        s.retry().multiplier() == 2.0d
        s.timeout() == Duration.ofSeconds(30)

        and:
        s.action().execute(context) == [previous: 'v1', version: '1.1.0']
        s.probe().check(context) == Optional.of([previous: 'v1'])
        s.compensation().action().execute(context) == [:]
    }

    def "closures of run and probe are not called while loading"() {
        given:
        String source = '''
            playbook('p') {
                phase('a') {
                    step('s') {
                        run { ctx -> throw new IllegalStateException('ran at load time') }
                        probe { ctx -> throw new IllegalStateException('probed at load time') }
                    }
                }
            }'''

        when:
        Playbook p = Fixtures.loader().loadText(source, null, [:])

        then:
        noExceptionThrown()
        p.root().children().size() == 1
    }

    def "a rolling block is resolved per target into batches with Ansible serial semantics"() {
        given:
        Rolling rolling = playbook.root().children().find { it.id() == 'gateways' } as Rolling

        expect:
        rolling.batches()*.members()*.size() == [1, 3, 3, 2]
        rolling.batches()*.number() == [1, 2, 3, 4]
        rolling.batchSpec() == "[1, '25%']"
        rolling.maxFailureShare() == 0.2d
        !rolling.parallelWithinBatch()

        and:
        Step first = rolling.batches()[0].members()[0].body() as Step
        first.id() == 'gateways/restart@gw-1'
        first.label() == 'restart'
        first.target().name() == 'gw-1'
        first.target().attribute('host') == '127.0.0.1'
        first.description().contains('[ssh-stub, 127.0.0.1, 2201]')
        rolling.batches().collectMany { it.members() }*.target()*.name() == (1..9).collect { "gw-$it".toString() }
    }

    def "parallel branches are step calls and branch blocks"() {
        given:
        Parallel checks = playbook.root().children().find { it.id() == 'checks' } as Parallel

        expect:
        checks.maxConcurrency() == 2
        checks.branches()*.id() == ['checks/health', 'checks/logs']
        (checks.branches()[1] as Group).kind() == Group.Kind.SEQUENCE
        step('checks/health').arguments().given.requestTimeout == Duration.ofSeconds(10)

        and:
        ApprovalGate gate = playbook.root().children().find { it.id() == 'go-live' } as ApprovalGate
        gate.prompt() == 'Release notes reviewed?'
        gate.label() == 'go-live'
    }

    def "a secret is a reference in the model; inside a GString it makes a template, never a value"() {
        given:
        Object shell = step('upgrade/connect').arguments().given.shell

        expect:
        shell instanceof Template
        (shell as Template).parts() == ['psql postgres://app:', new SecretRef('DEMO_DB_PASSWORD'), '@db/app']
        shell.toString() == 'psql postgres://app:${secret:DEMO_DB_PASSWORD}@db/app'
        playbook.secretNames() == ['BASE_API_TOKEN', 'DEMO_DB_PASSWORD']
    }

    def "the environment inherits from its base and overrides vars, secrets and targets by name"() {
        expect:
        playbook.vars() == [serviceDir: 'build/demo/service', port: 18080, logLevel: 'info']
        step('preflight/current-version').arguments().given.args == ['cat', 'build/demo/service/current/VERSION']

        and:
        Rolling rolling = playbook.root().children().find { it.id() == 'gateways' } as Rolling
        rolling.batches()[0].members()[0].target().attributes() == [roles: ['gateway'], host: '127.0.0.1', port: 2201]
    }

    def "the source names both files absolutely and the playbook's directory is the base dir"() {
        expect:
        playbook.source().playbookFile() == DEMO.toAbsolutePath().normalize().toString()
        playbook.source().environmentFile() == STAGING.toAbsolutePath().normalize().toString()
        playbook.source().fingerprint() ==~ /[0-9a-f]{64}/
        playbook.baseDir() == DEMO.toAbsolutePath().normalize().parent
    }
}
