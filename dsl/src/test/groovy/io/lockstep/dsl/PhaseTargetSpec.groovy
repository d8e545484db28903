package io.lockstep.dsl

import io.lockstep.engine.model.Group
import io.lockstep.engine.model.Node
import io.lockstep.engine.model.Parallel
import io.lockstep.engine.model.Rolling
import io.lockstep.engine.model.Step
import spock.lang.Specification
import spock.lang.Unroll

/**
 * {@code phase('x', on: target('t')) { }}: the steps of a phase act on one target, as the steps
 * of a rolling block act on theirs, so a playbook for one host needs no connection settings on
 * every step.
 */
class PhaseTargetSpec extends Specification {

    static final String ENV = '''
        environment('test') {
            targets {
                target 'portal-1', roles: ['portal'], host: '10.0.0.5', port: 2222
                target 'gw-1', roles: ['gateway'], host: '10.0.0.11'
                target 'gw-2', roles: ['gateway'], host: '10.0.0.12'
            }
        }'''

    private static Map<String, Step> steps(Node node, Map<String, Step> into = [:]) {
        if (node instanceof Step) {
            into[node.id()] = node as Step
        } else if (node instanceof Rolling) {
            (node as Rolling).batches().each { b -> b.members().each { m -> steps(m.body(), into) } }
        } else if (node instanceof Parallel) {
            (node as Parallel).branches().each { steps(it, into) }
        } else {
            node.children().each { steps(it, into) }
        }
        into
    }

    private static List<Problem> problems(String playbook) {
        try {
            Fixtures.loader().loadText(playbook, ENV, [:])
            []
        } catch (PlaybookException e) {
            e.problems()
        }
    }

    def "every step of a phase with on: acts on that target, in preflight, phases and verify alike"() {
        when:
        def playbook = Fixtures.loader().loadText('''
            playbook('p') {
                preflight(on: target('portal-1')) { command 'free', args: ['df'] }
                phase('upgrade', on: targets(role: 'portal')) {
                    command 'install', args: ['dpkg', '-i']
                    parallel('checks') { command 'a', args: ['true']; command 'b', args: ['true'] }
                    rolling('gateways', over: targets(role: 'gateway')) { t -> command 'reload', args: ['true'] }
                }
                phase('local') { command 'note', args: ['true'] }
                verify(on: 'portal-1') { command 'health', args: ['curl'] }
            }''', ENV, [:])
        Map<String, Step> all = steps(playbook.root())

        then:
        all.collectEntries { id, step -> [id, step.target()?.name()] } == [
                'preflight/free'           : 'portal-1',
                'upgrade/install'          : 'portal-1',
                'upgrade/checks/a'         : 'portal-1',
                'upgrade/checks/b'         : 'portal-1',
                'upgrade/gateways/reload@gw-1': 'gw-1',
                'upgrade/gateways/reload@gw-2': 'gw-2',
                'local/note'               : null,
                'verify/health'            : 'portal-1',
        ]
        all['upgrade/install'].target().attribute('host') == '10.0.0.5'
        (playbook.root().children()[1] as Group).kind() == Group.Kind.PHASE
    }

    @Unroll
    def "on: #on is refused: #message"() {
        when:
        List<Problem> found = problems("""
            playbook('p') {
                phase('upgrade', on: ${on}) { command 'install', args: ['true'] }
            }""")

        then:
        found.size() == 1
        found[0].line() == 3
        found[0].message() == message
        found[0].hint() == hint

        where:
        on                           || message                                                        | hint
        "targets(role: 'gateway')"   || "phase 'upgrade' runs on one target; on: gives 2 (gw-1, gw-2)" | "name one with on: target('name'), or go over several with rolling('upgrade', over: ...) { t -> }"
        "target('portl-1')"          || "unknown target 'portl-1'"                                     | "did you mean 'portal-1'?"
        "42"                         || "phase 'upgrade' on a Integer: expected a target"              | "write on: target('name')"
    }

    def "an unknown phase option is named with what a phase takes"() {
        when:
        List<Problem> found = problems("""
            playbook('p') {
                phase('upgrade', onto: target('portal-1')) { command 'install', args: ['true'] }
            }""")

        then:
        found*.message() == ["unknown phase option 'onto'"]
        found[0].hint().contains("'on'")
    }
}
