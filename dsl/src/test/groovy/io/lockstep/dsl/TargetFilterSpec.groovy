package io.lockstep.dsl

import io.lockstep.engine.Plan
import io.lockstep.engine.model.Playbook
import io.lockstep.engine.model.Rolling
import spock.lang.Specification

/**
 * {@code targets(role: 'x', attribute: value)}: targets chosen by role and by their attributes, so a
 * playbook can roll over one data centre's gateways, and loop over data centres in the order the
 * environment declares them.
 */
class TargetFilterSpec extends Specification {

    static final String DATA_CENTRES = '''
        environment('dcs') {
            targets {
                target 'c-1', roles: ['mdcb', 'dashboard'], dc: 'control', host: '10.0.0.1', port: 22
                target 'c-2', roles: ['gateway'], dc: 'control', host: '10.0.0.2', port: 22
                target 'b-1', roles: ['pump', 'gateway'], dc: 'worker-b', host: '10.0.2.1', port: 2222
                target 'a-1', roles: ['pump', 'gateway'], dc: 'worker-a', host: '10.0.1.1', port: 22
                target 'a-2', roles: ['gateway'], dc: 'worker-a', host: '10.0.1.2', port: 22
                target 'x-1', roles: ['gateway'], host: '10.0.9.1'
            }
        }'''

    private static Playbook load(String body) {
        Fixtures.loader().loadText("playbook('p') {\n${body}\n}", DATA_CENTRES, [:])
    }

    private static List<Problem> problems(String body) {
        try {
            load(body)
            []
        } catch (PlaybookException e) {
            e.problems()
        }
    }

    private static List<String> rolledOver(Playbook playbook, String rollingId) {
        Rolling rolling = playbook.root().children().find { it.id() == rollingId } as Rolling
        rolling.batches().collectMany { it.members() }*.target()*.name()
    }

    def "role and attribute together select the targets that have both, in declaration order"() {
        when:
        Playbook playbook = load('''
            rolling('a', over: targets(role: 'gateway', dc: 'worker-a')) { t -> command 'x', args: ['true'] }
            rolling('control', over: targets(dc: 'control')) { t -> command 'x', args: ['true'] }
            rolling('port', over: targets(port: 2222)) { t -> command 'x', args: ['true'] }
            rolling('gw', over: targets(role: 'gateway')) { t -> command 'x', args: ['true'] }''')

        then:
        rolledOver(playbook, 'a') == ['a-1', 'a-2']
        rolledOver(playbook, 'control') == ['c-1', 'c-2']
        rolledOver(playbook, 'port') == ['b-1']
        rolledOver(playbook, 'gw') == ['c-2', 'b-1', 'a-1', 'a-2', 'x-1']
    }

    def "a playbook loops over the data centres its targets name, a phase each, in the environment's order"() {
        when:
        Playbook playbook = load('''
            List<String> workers = targets()*.attributes*.dc.findAll { it && it != 'control' }.unique()
            workers.each { String dc ->
                phase(dc) {
                    if (targets(role: 'pump', dc: dc)) {
                        rolling('pump', over: targets(role: 'pump', dc: dc)) { t -> command 'x', args: ['true'] }
                    }
                    rolling('gateways', over: targets(role: 'gateway', dc: "${dc}"), batches: [1, '50%']) { t ->
                        command 'x', args: ['true']
                    }
                }
            }''')

        then: 'worker-b is declared first'
        playbook.root().children()*.id() == ['worker-b', 'worker-a']
        Plan.of(playbook).entries().findAll { it.kind() == Plan.Kind.STEP }*.id() ==
                ['worker-b/pump/x@b-1', 'worker-b/gateways/x@b-1',
                 'worker-a/pump/x@a-1', 'worker-a/gateways/x@a-1', 'worker-a/gateways/x@a-2']
    }

    def "a value no target has selects nothing; rolling over nothing is still an error"() {
        expect:
        problems('''
            if (targets(dc: 'worker-z')) { throw new IllegalStateException('selected something') }
            rolling('z', over: targets(role: 'gateway', dc: 'worker-z')) { t -> command 'x', args: ['true'] }''')*.message() ==
                ["rolling 'z' has no targets"]
    }

    def "a filter no target has an attribute for is a problem with a hint"() {
        when:
        List<Problem> found = problems("rolling('r', over: targets(role: 'gateway', $filter)) { t -> command 'x', args: ['true'] }")

        then:
        found*.message() == [message]
        found*.hint() == [hint]

        where:
        filter             || message                              | hint
        "dcc: 'control'"   || "unknown targets() filter 'dcc'"     | "did you mean 'dc'?"
        "region: 'eu'"     || "unknown targets() filter 'region'"  | "targets() filters by role and by the targets' attributes: dc, host, port, role"
        "roles: ['a']"     || "unknown targets() filter 'roles'"   | "filter by one role: targets(role: 'web')"
    }

    def "an unknown role is still reported as before"() {
        expect:
        problems("rolling('r', over: targets(role: 'gatway', dc: 'control')) { t -> command 'x', args: ['true'] }")*.message() ==
                ["unknown role 'gatway'"]
    }
}
