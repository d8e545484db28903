package io.lockstep.steps

import spock.lang.Specification

class ProcessRunnerSpec extends Specification {

    def "a command inherits the environment without the default resolver's secrets, plus its own"() {
        given:
        Map<String, String> inherited = [PATH: '/usr/bin', LOCKSTEP_SECRET_DB_PASSWORD: 'pw', HOME: '/root']

        when:
        ProcessRunner.childEnvironment(inherited, [LOCKSTEP_SECRET_GIVEN: 'yes', APP_ENV: 'prod'])

        then:
        inherited == [PATH: '/usr/bin', HOME: '/root', LOCKSTEP_SECRET_GIVEN: 'yes', APP_ENV: 'prod']
    }
}
