package io.lockstep.cli

import com.fasterxml.jackson.databind.ObjectMapper
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path

/**
 * The CLI on playbooks written in the DSL: invalid playbooks, plans, --json, approvals, locks,
 * --no-rollback and rollback. Steps append to a trace file, so the order things ran in is asserted.
 */
class CliPlaybookSpec extends Specification {

    @TempDir
    Path dir

    CliFixture cli
    Path trace

    def setup() {
        cli = new CliFixture(store: dir.resolve('store'))
        trace = dir.resolve('trace.txt')
        Files.writeString(trace, '')
    }

    def "an invalid playbook prints every problem as file:line:col with a hint, and runs nothing"() {
        given:
        def playbook = write('broken.groovy', """\
            playbook('broken') {
                phase('upgrade') {
                    comand 'stop', args: ['true']
                    step('a') { run { ctx -> new File('${trace}') << 'do a\\n' } }
                    step('a') { run { ctx -> [:] } }
                }
            }
            """.stripIndent())

        when:
        def result = cli.run('run', playbook.toString())

        then:
        result.code == 2
        result.out == ''
        def lines = result.err.readLines()
        lines.any { it ==~ /${playbook}:3:\d+: .*comand.*/ }
        lines.any { it.startsWith('  hint: ') && it.contains('command') }
        lines.any { it ==~ /${playbook}:5:\d+: .*/ }
        lines.last() ==~ /error: \d+ problems found; nothing was run/
        !result.err.contains('\tat ')
        Files.readString(trace) == ''
        !Files.exists(dir.resolve('store/runs'))
    }

    def "validate says valid, or lists the problems as JSON"() {
        given:
        def good = write('good.groovy', okPlaybook())
        def bad = write('bad.groovy', "playbook('bad') { phase('x') { nosuchstep 'y' } }\n")

        when:
        def valid = cli.run('validate', good.toString())
        def invalid = cli.run('validate', '--json', bad.toString())

        then:
        valid.code == 0
        valid.out ==~ /. ${good} is valid: ok @ default, 2 steps\n/
        invalid.code == 2
        def json = new ObjectMapper().readValue(invalid.out, Map)
        json.valid == false
        def unknown = json.problems.find { it.message == "unknown step type 'nosuchstep'" }
        unknown.file == bad.toString()
        unknown.line == 1
        unknown.column == 32
        unknown.hint.startsWith('step types: ')
    }

    def "plan shows the tree, the undo of every step and the rollback plan last step first"() {
        given:
        def playbook = write('ok.groovy', okPlaybook())

        when:
        def result = cli.run('plan', playbook.toString())
        def out = result.out.replace('├─ ', '+- ').replace('└─ ', '`- ').replace('│  ', '|  ')

        then:
        result.code == 0
        out.contains('Plan  ok @ default\n')
        out =~ /(?m)^upgrade$/
        out =~ /(?m)^\+- 1\. first +Groovy code at ok\.groovy:\d+$/
        out =~ /(?m)^\|     undo: remove first$/
        out =~ /(?m)^`- 2\. second +Groovy code at ok\.groovy:\d+$/
        out =~ /(?m)^      undo: IRREVERSIBLE . mail sent$/
        out =~ /(?ms)^Rollback plan\n.*\n  1\. upgrade\/second +cannot be undone . mail sent\n  2\. upgrade\/first +remove first\n/
        out =~ /(?ms)^Irreversible steps\n  . upgrade\/second  mail sent$/
    }

    def "run --json prints one JSON object per line: every event, then the result"() {
        given:
        def playbook = write('ok.groovy', okPlaybook())

        when:
        def result = cli.run('run', '--json', playbook.toString())
        def objects = result.out.readLines().collect { new ObjectMapper().readValue(it, Map) }

        then:
        result.code == 0
        objects*.type == ['RUN_STARTED', 'STEP_STARTED', 'STEP_FINISHED', 'STEP_STARTED', 'STEP_FINISHED',
                          'RUN_FINISHED', 'RUN_RESULT']
        objects.last().status == 'SUCCEEDED'
        objects.last().exitCode == 0
        Files.exists(Path.of(objects.last().report))
        Files.readString(trace) == 'do first\ndo second\n'
    }

    def "a paused run holds the lock: a second run is refused naming the holder; approve continues the first"() {
        given:
        def playbook = write('gated.groovy', """\
            playbook('gated') {
                phase('upgrade') {
                    step('before') { run { ctx -> new File('${trace}') << 'do before\\n'; [:] } }
                    approve 'go-live', prompt: 'Switch traffic?'
                    step('after') { run { ctx -> new File('${trace}') << 'do after\\n'; [:] } }
                }
            }
            """.stripIndent())

        when:
        def first = cli.run('run', playbook.toString())
        def runId = (first.out =~ /lockstep approve (\S+) upgrade\/go-live/)[0][1]

        then:
        first.code == 10
        first.out.contains("  to continue: lockstep approve ${runId} upgrade/go-live --store ${dir.resolve('store')}\n")
        Files.readString(trace) == 'do before\n'

        when:
        def second = cli.run('run', playbook.toString())

        then:
        second.code == 12
        second.err.startsWith("error: gated@default is locked by run ${runId} (started by ")
        second.err.contains("hint: finish that run first: `lockstep resume ${runId}` or `lockstep rollback ${runId}`")
        Files.readString(trace) == 'do before\n'

        when:
        def approved = cli.run('approve', runId, '--comment', 'release notes read')

        then:
        approved.code == 0
        approved.out.contains("run ${runId} succeeded")
        Files.readString(trace) == 'do before\ndo after\n'
        cli.run('status', runId).out.contains('APPROVAL_GRANTED')
    }

    def "--no-rollback leaves a failed run in place (exit 5); rollback undoes it last step first (exit 0)"() {
        given:
        def playbook = write('failing.groovy', """\
            playbook('failing') {
                phase('upgrade') {
                    step('one') {
                        run { ctx -> new File('${trace}') << 'do one\\n'; [:] }
                        compensate('undo one') { run { ctx -> new File('${trace}') << 'undo one\\n'; [:] } }
                    }
                    step('two') {
                        run { ctx -> new File('${trace}') << 'do two\\n'; [:] }
                        compensate('undo two') { run { ctx -> new File('${trace}') << 'undo two\\n'; [:] } }
                    }
                    step('three') { run { ctx -> throw new IllegalStateException('disk full') } }
                }
            }
            """.stripIndent())

        when:
        def failed = cli.run('run', '--no-rollback', playbook.toString())
        def runId = (failed.out =~ /lockstep rollback (\S+)/)[0][1]

        then:
        failed.code == 5
        failed.out.contains("failed at upgrade/three: ")
        failed.out.contains('disk full')
        Files.readString(trace) == 'do one\ndo two\n'

        when:
        def rolledBack = cli.run('rollback', runId)

        then:
        rolledBack.code == 0
        rolledBack.out.contains('undone upgrade/two, upgrade/one')
        Files.readString(trace) == 'do one\ndo two\nundo two\nundo one\n'
    }

    private Path write(String name, String text) {
        Path file = dir.resolve(name)
        Files.writeString(file, text)
        file
    }

    private String okPlaybook() {
        """\
        playbook('ok') {
            phase('upgrade') {
                step('first') {
                    run { ctx -> new File('${trace}') << 'do first\\n'; [:] }
                    compensate('remove first') { run { ctx -> } }
                }
                step('second') {
                    run { ctx -> new File('${trace}') << 'do second\\n'; [:] }
                    irreversible 'mail sent'
                }
            }
        }
        """.stripIndent()
    }
}
