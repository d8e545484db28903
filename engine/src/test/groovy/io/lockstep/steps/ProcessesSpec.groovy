package io.lockstep.steps

import spock.lang.Specification

class ProcessesSpec extends Specification {

    def "a process inherits the environment without the default resolver's secrets, plus its own"() {
        given:
        Map<String, String> inherited = [PATH: '/usr/bin', LOCKSTEP_SECRET_DB_PASSWORD: 'pw', HOME: '/root']

        when:
        Processes.childEnvironment(inherited, [LOCKSTEP_SECRET_GIVEN: 'yes', APP_ENV: 'prod'])

        then:
        inherited == [PATH: '/usr/bin', HOME: '/root', LOCKSTEP_SECRET_GIVEN: 'yes', APP_ENV: 'prod']
    }

    def "a program that does not exist is named as such"() {
        when:
        new ProcessBuilder('lockstep-no-such-program').start()

        then:
        IOException e = thrown()
        Processes.notFound(e)
        Processes.startFailure('lockstep-no-such-program', e) == "cannot run 'lockstep-no-such-program': no such file or command"
    }

    def "destroying a tree ends the process and the children it started"() {
        given:
        Process shell = new ProcessBuilder('sh', '-c', 'sleep 300 & sleep 300 & wait').start()
        List<ProcessHandle> children = awaitChildren(shell, 2)

        when:
        Processes.destroyTree(shell)

        then:
        !shell.alive
        children.every { !it.alive }
    }

    private static List<ProcessHandle> awaitChildren(Process process, int count) {
        long deadline = System.currentTimeMillis() + 5_000
        while (process.children().count() < count && System.currentTimeMillis() < deadline) {
            Thread.sleep(20)
        }
        process.children().toList()
    }
}
