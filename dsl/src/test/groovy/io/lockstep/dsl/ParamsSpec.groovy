package io.lockstep.dsl

import spock.lang.Specification
import spock.lang.Unroll

import static io.lockstep.dsl.Fixtures.DEMO
import static io.lockstep.dsl.Fixtures.STAGING

class ParamsSpec extends Specification {

    @Unroll
    def "params #given resolve to #expected"() {
        when:
        def playbook = Fixtures.loader().load(DEMO, STAGING, given)

        then:
        playbook.params() == expected

        where:
        given                                                         || expected
        [version: '1.1.0']                                            || [version: '1.1.0', failHealthCheck: false, batchSize: 2]
        [version: '2.0', failHealthCheck: 'true', batchSize: '5']     || [version: '2.0', failHealthCheck: true, batchSize: 5]
        [version: '2.0', failHealthCheck: 'FALSE', batchSize: ' 12 '] || [version: '2.0', failHealthCheck: false, batchSize: 12]
    }

    def "a param read later in the playbook has its typed value"() {
        given:
        String source = '''
            playbook('p') {
                param 'count', Integer, default: 1
                param 'dryRun', Boolean, default: false
                phase('a') {
                    command 'c', args: ['echo', params.count + 1, params.dryRun ? 'dry' : 'wet']
                }
            }'''

        when:
        def playbook = Fixtures.loader().loadText(source, null, [count: '41', dryRun: 'true'])

        then:
        playbook.params() == [count: 41, dryRun: true]
        playbook.root().children()[0].children()[0].arguments().given.args == ['echo', 42, 'dry']
        playbook.environment() == 'default'
    }
}
