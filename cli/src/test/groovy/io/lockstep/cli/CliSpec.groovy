package io.lockstep.cli

import io.lockstep.engine.RunStatus
import io.lockstep.engine.spi.JournalStore
import io.lockstep.engine.spi.UnknownRunException
import spock.lang.Specification
import spock.lang.TempDir
import spock.lang.Unroll

import java.nio.file.Files
import java.nio.file.Path
import java.util.function.Function

class CliSpec extends Specification {

    @TempDir
    Path dir

    CliFixture cli

    def setup() {
        cli = new CliFixture(store: dir.resolve('store'))
    }

    def "--help lists the commands and documents every exit code"() {
        when:
        def result = cli.run('--help')

        then:
        result.code == 0
        ['validate', 'plan', 'run', 'resume', 'status', 'approve', 'rollback', 'history'].every {
            result.out =~ /(?m)^\s+$it\s/
        }
        result.out.contains('   0  succeeded / command ok')
        result.out.contains('   3  the run failed and was rolled back')
        result.out.contains('  10  paused, awaiting approval (lockstep approve RUN GATE)')
        result.out.contains('  12  locked by another run of the same playbook and environment')
    }

    def "no command is a usage error"() {
        when:
        def result = cli.run()

        then:
        result.code == 2
        result.err.contains('Usage: lockstep')
    }

    @Unroll
    def "usage error '#args' exits 2 with '#message' and a hint"() {
        when:
        def result = cli.run(args as String[])

        then:
        result.code == 2
        result.err.readLines()[0].startsWith('error: ')
        result.err.readLines()[0].contains(message)
        result.err.contains('hint: see `lockstep')
        !result.err.contains('\tat ')

        where:
        args                                || message
        ['frobnicate']                      || "Unmatched argument at index 0: 'frobnicate'"
        ['run']                             || "Missing required parameter: 'PLAYBOOK'"
        ['run', 'x.groovy', '--bogus']      || "Unknown option: '--bogus'"
        ['resume']                          || "Missing required parameter: 'RUN'"
        ['run', 'x.groovy', '-p', 'novalue'] || "Value for option '--param' (KEY=VALUE) should be in KEY=VALUE format but was novalue"
    }

    def "a playbook file that does not exist is invalid input"() {
        when:
        def result = cli.run('plan', dir.resolve('missing.groovy').toString())

        then:
        result.code == 2
        result.err == "error: no playbook file ${dir.resolve('missing.groovy')}\nhint: give the path of a .groovy playbook\n"
    }

    def "an unknown environment name lists the environments next to the playbook"() {
        given:
        def playbook = dir.resolve('upgrade.groovy')
        Files.writeString(playbook, "playbook('x') {}")
        Files.createDirectories(dir.resolve('env'))
        Files.writeString(dir.resolve('env/local.groovy'), '')
        Files.writeString(dir.resolve('env/prod.groovy'), '')

        when:
        def result = cli.run('run', playbook.toString(), '-e', 'staging')

        then:
        result.code == 2
        result.err.contains("error: no environment staging: neither a file nor ${dir.resolve('env/staging.groovy')}")
        result.err.contains('hint: environments next to the playbook: local, prod')
    }

    def "an unknown run is invalid input with a hint, no stack trace"() {
        given:
        cli.stores = { Path d -> [open: { String id -> throw new UnknownRunException(id) }] as JournalStore } as Function

        when:
        def result = cli.run('status', 'r-404')

        then:
        result.code == 2
        result.err == 'error: no run with id r-404\nhint: `lockstep history` lists the runs in this store\n'
    }

    def "a store that cannot be written is the user's problem to fix, not a bug"() {
        given:
        def notADirectory = Files.writeString(dir.resolve('plain-file'), 'x')
        def playbook = Files.writeString(dir.resolve('p.groovy'), "playbook('p') { command 'hi', args: ['true'] }\n")
        cli = new CliFixture(store: notADirectory)

        when:
        def result = cli.run('run', playbook.toString())

        then:
        result.code == 2
        result.err.startsWith("error: cannot read or write ${notADirectory}")
        result.err.contains('hint: check the path, its permissions and free disk space')
        !result.err.contains('internal error')
    }

    def "a bug exits 1 and saves the stack trace in the store"() {
        given:
        cli.stores = { Path d -> [runs: { throw new IllegalStateException('boom') }] as JournalStore } as Function

        when:
        def result = cli.run('history')

        then:
        result.code == 1
        result.err.startsWith('error: internal error: java.lang.IllegalStateException: boom\n')
        def saved = (result.err =~ /the stack trace is in (\S+)/)[0][1]
        Path.of(saved).startsWith(dir.resolve('store/errors').toAbsolutePath())
        Files.readString(Path.of(saved)).contains('java.lang.IllegalStateException: boom')
        Files.readString(Path.of(saved)).contains('\tat ')
        !result.err.contains('\tat ')
    }

    @Unroll
    def "a run ending #status exits #code"() {
        expect:
        ExitCode.of(status) == code

        where:
        status                        || code
        RunStatus.SUCCEEDED           || 0
        RunStatus.ROLLED_BACK         || 3
        RunStatus.COMPENSATION_FAILED || 4
        RunStatus.FAILED              || 5
        RunStatus.AWAITING_APPROVAL   || 10
        RunStatus.NEEDS_DECISION      || 11
    }

    def "the store is --store, else LOCKSTEP_HOME, else .lockstep"() {
        given:
        def options = new CommonOptions()

        expect:
        options.storeDir([:]) == Path.of('.lockstep')
        options.storeDir([LOCKSTEP_HOME: '/srv/lockstep']) == Path.of('/srv/lockstep')

        when:
        options.store = Path.of('/tmp/s')

        then:
        options.storeDir([LOCKSTEP_HOME: '/srv/lockstep']) == Path.of('/tmp/s')
        options.storeArgument() == ' --store /tmp/s'
    }
}
