package io.lockstep.dsl

import spock.lang.Specification
import spock.lang.Unroll

import java.nio.file.Files
import java.nio.file.Path

/**
 * One fixture per mistake under {@code src/test/resources/errors}: each loads with exactly one
 * problem, at the right file, line and column, with the message and hint users read.
 */
class ErrorCorpusSpec extends Specification {

    static final Path ERRORS = Fixtures.ROOT.resolve('errors')
    static final String GOOD_ENV = 'env/good.groovy'
    static final String GOOD_PLAYBOOK = 'env/playbook.groovy'

    private static List<Problem> problems(String playbook, String environment, Map<String, String> params) {
        Fixtures.loader().validate(ERRORS.resolve(playbook), ERRORS.resolve(environment), params)
    }

    @Unroll
    def "#fixture: #message"() {
        when:
        List<Problem> problems = problems(playbook, environment, params)

        then:
        problems.size() == 1
        problems[0].file() == ERRORS.resolve(fixture).toString()
        problems[0].line() == line
        problems[0].column() == column
        problems[0].message() == message
        problems[0].hint() == hint

        where:
        fixture                                | playbook                               | environment                 | params              || line | column | message                                                                          | hint
        'syntax-error.groovy'                  | fixture                                | GOOD_ENV                    | [:]                 || 4    | 5      | "syntax error: unexpected '}'"                                                   | 'check the brackets, quotes and commas up to this point'
        'unknown-step-type.groovy'             | fixture                                | GOOD_ENV                    | [:]                 || 3    | 9      | "unknown step type 'backupFile'"                                                 | "did you mean 'backupFiles'?"
        'unknown-argument.groovy'              | fixture                                | GOOD_ENV                    | [:]                 || 3    | 9      | "unknown argument 'kepe' for backupFiles"                                        | "did you mean 'keep'?"
        'missing-argument.groovy'              | fixture                                | GOOD_ENV                    | [:]                 || 3    | 9      | "missing required argument 'path' for backupFiles"                               | 'add path: <String> (file or directory to back up)'
        'wrong-argument-type.groovy'           | fixture                                | GOOD_ENV                    | [:]                 || 3    | 9      | "argument 'captureBytes' of command must be an Integer, got String 'lots'"       | 'output to keep'
        'bad-duration.groovy'                  | fixture                                | GOOD_ENV                    | [:]                 || 3    | 9      | "argument 'requestTimeout' of httpCheck: bad duration '10 secs'"                        | "write a number and a unit, such as '500ms', '30s', '2m' or '1h'"
        'bad-timeout-option.groovy'            | fixture                                | GOOD_ENV                    | [:]                 || 4    | 13     | 'timeout: bad duration 30'                                                       | "write a number and a unit, such as '500ms', '30s', '2m' or '1h'"
        'missing-required-param.groovy'        | fixture                                | GOOD_ENV                    | [:]                 || 2    | 5      | "missing required param 'version'"                                               | 'pass it as -p version=<value>'
        'param-wrong-type.groovy'              | fixture                                | GOOD_ENV                    | [batchSize: 'abc']  || 2    | 5      | "param 'batchSize' must be an Integer, got 'abc'"                                | 'pass it as -p batchSize=1'
        'unknown-param-given.groovy'           | fixture                                | GOOD_ENV                    | [verison: '1.0']    || 1    | 1      | "unknown param 'verison' given"                                                  | "did you mean 'version'?"
        'unknown-target.groovy'                | fixture                                | GOOD_ENV                    | [:]                 || 2    | 47     | "unknown target 'gw-9'"                                                          | "did you mean 'gw-1'?"
        'unknown-role.groovy'                  | fixture                                | GOOD_ENV                    | [:]                 || 2    | 30     | "unknown role 'gatway'"                                                          | "did you mean 'gateway'?"
        'env/cycle-b.groovy'                   | GOOD_PLAYBOOK                          | 'env/cycle-a.groovy'        | [:]                 || 3    | 5      | 'cyclic inheritance: cycle-a.groovy -> cycle-b.groovy -> cycle-a.groovy'         | 'remove one of these inherits'
        'env/missing-base.groovy'              | GOOD_PLAYBOOK                          | fixture                     | [:]                 || 2    | 5      | "base environment 'no-such-base.groovy' not found"                               | "inherits paths are relative to the file that names them; looked for ${ERRORS.resolve('env/no-such-base.groovy')}"
        'env/not-an-environment.groovy'        | GOOD_PLAYBOOK                          | fixture                     | [:]                 || 1    | 1      | 'not an environment file: it declares a playbook'                                | "pass an environment file: environment('name') { ... }"
        'env/unknown-setting.groovy'           | GOOD_PLAYBOOK                          | fixture                     | [:]                 || 2    | 5      | "unknown environment setting 'variables'"                                        | 'an environment has: inherits, secrets, targets, vars'
        'duplicate-step-id.groovy'             | fixture                                | GOOD_ENV                    | [:]                 || 5    | 9      | "duplicate id 'upgrade/stop' at lines 3 and 5"                                   | 'give one of them another name'
        'invalid-step-name.groovy'             | fixture                                | GOOD_ENV                    | [:]                 || 3    | 9      | "invalid step name 'stop service'"                                               | "names use letters, digits, '.', '_' and '-', and start with a letter or digit"
        'undeclared-secret.groovy'             | fixture                                | GOOD_ENV                    | [:]                 || 3    | 58     | "undeclared secret 'dbPasword'"                                                  | "did you mean 'dbPassword'?"
        'compensate-two-steps.groovy'          | fixture                                | GOOD_ENV                    | [:]                 || 4    | 13     | 'compensate { } must hold exactly one step call or run { }, found 2'             | 'write: compensate { stepType arg: value }  or  compensate { run { ctx -> ... } }'
        'compensate-and-irreversible.groovy'   | fixture                                | GOOD_ENV                    | [:]                 || 5    | 13     | "step 'migrate' has both compensate and irreversible"                            | 'keep one: compensate says how to undo the step, irreversible says it cannot be undone'
        'read-only-with-undo.groovy'           | fixture                                | GOOD_ENV                    | [:]                 || 5    | 13     | "readOnly on step 'check', which also declares an undo"                          | 'a read-only step has nothing to undo: remove readOnly, or the compensate/irreversible'
        'unknown-output-step.groovy'           | fixture                                | GOOD_ENV                    | [:]                 || 6    | 9      | "output('preflight/versoin', 'body'): no step has the id 'preflight/versoin'"     | "did you mean 'preflight/version'?"
        'bad-batches.groovy'                   | fixture                                | GOOD_ENV                    | [:]                 || 2    | 5      | "bad batch 'half'"                                                               | "write each batch as a count such as 1 or a share such as '25%', for example batches: [1, '25%']"
        'max-failures-over-100.groovy'         | fixture                                | GOOD_ENV                    | [:]                 || 2    | 5      | "maxFailures '120%' is over 100%"                                                | "write a share from '0%' to '100%'"
        'unknown-property.groovy'              | fixture                                | GOOD_ENV                    | [:]                 || 4    | 37     | "unknown property 'parms'"                                                       | "did you mean 'params'?"
        'approve-without-name.groovy'          | fixture                                | GOOD_ENV                    | [:]                 || 5    | 5      | 'approve needs a name'                                                           | "write: approve 'name', prompt: 'Go on?'"
        'step-outside-playbook.groovy'         | fixture                                | GOOD_ENV                    | [:]                 || 1    | 1      | "step command is outside playbook('name') { }"                                   | 'move it into the playbook block'
        'empty-playbook.groovy'                | fixture                                | GOOD_ENV                    | [:]                 || 1    | 1      | "playbook 'nothing' has no steps"                                                | "add phases and steps, for example: preflight { command 'check', args: ['true'] }"
        'no-playbook-block.groovy'             | fixture                                | GOOD_ENV                    | [:]                 || 1    | 1      | "no playbook('name') { } block"                                                  | "a playbook file holds playbook('name') { ... }"
        'environment-in-playbook.groovy'       | fixture                                | GOOD_ENV                    | [:]                 || 1    | 1      | 'an environment block in a playbook file'                                        | 'environments live in their own file, passed next to the playbook'
        'unknown-step-option.groovy'           | fixture                                | GOOD_ENV                    | [:]                 || 4    | 13     | "unknown step option 'compnsate'"                                                | "did you mean 'compensate'?"
        'unknown-var.groovy'                   | fixture                                | GOOD_ENV                    | [:]                 || 3    | 35     | "unknown var 'servicDir'"                                                        | "did you mean 'serviceDir'?"
        'unknown-target-attribute.groovy'      | fixture                                | GOOD_ENV                    | [:]                 || 3    | 47     | "unknown target attribute 'hots'"                                                | "did you mean 'host'?"
        'step-without-run.groovy'              | fixture                                | GOOD_ENV                    | [:]                 || 3    | 9      | "step 'switch' has no run { } action"                                            | 'write: step(\'name\') { run { ctx -> ...; [output: value] } }'
        'runtime-error.groovy'                 | fixture                                | GOOD_ENV                    | [:]                 || 3    | 37     | 'no method Integer.toUpperCase()'                                                | null
        'phase-without-name.groovy'            | fixture                                | GOOD_ENV                    | [:]                 || 2    | 5      | 'wrong arguments for phase'                                                      | "write: phase('name') { ... }"
        'phase-in-phase.groovy'                | fixture                                | GOOD_ENV                    | [:]                 || 3    | 9      | 'phase is not allowed here'                                                      | 'write it directly inside playbook { }'
        'bad-retry.groovy'                     | fixture                                | GOOD_ENV                    | [:]                 || 4    | 13     | 'retry attempts must be a count of 1 or more, got 0'                             | "write: retry attempts: 3, delay: '2s', multiplier: 2"
        'data-loss-without-compensation.groovy'| fixture                                | GOOD_ENV                    | [:]                 || 4    | 13     | "dataLoss on step 'c', which has nothing to undo"                                | 'declare compensate { } or irreversible, or remove dataLoss'
        'step-type-rejects-arguments.groovy'   | fixture                                | GOOD_ENV                    | [:]                 || 3    | 9      | "command 'a/c': give exactly one of args or shell"                               | 'command takes: args, shell, dir, captureBytes'
    }

    def "every fixture in the corpus is checked above"() {
        given:
        List<String> fixtures = Files.list(ERRORS).withCloseable { it.map { it.fileName.toString() }.filter { it.endsWith('.groovy') }.toList() }

        expect:
        fixtures.size() >= 24
        fixtures.toSet() - (CHECKED + 'multiple-errors.groovy') == [] as Set
    }

    static final Set<String> CHECKED = [
            'syntax-error', 'unknown-step-type', 'unknown-argument', 'missing-argument', 'wrong-argument-type', 'bad-duration',
            'bad-timeout-option', 'missing-required-param', 'param-wrong-type', 'unknown-param-given', 'unknown-target', 'unknown-role',
            'duplicate-step-id', 'invalid-step-name', 'undeclared-secret', 'compensate-two-steps', 'compensate-and-irreversible',
            'bad-batches', 'max-failures-over-100', 'unknown-property', 'approve-without-name', 'step-outside-playbook',
            'empty-playbook', 'no-playbook-block', 'environment-in-playbook', 'unknown-step-option', 'unknown-var',
            'unknown-target-attribute', 'step-without-run', 'runtime-error', 'phase-without-name', 'phase-in-phase', 'bad-retry',
            'data-loss-without-compensation', 'step-type-rejects-arguments', 'read-only-with-undo', 'unknown-output-step',
    ].collect { it + '.groovy' } as Set

    def "all mistakes in one file are reported together, in source order"() {
        when:
        List<Problem> problems = problems('multiple-errors.groovy', GOOD_ENV, [:])

        then:
        problems.collect { [it.line(), it.column(), it.message()] } == [
                [2, 5, "missing required param 'version'"],
                [4, 9, "unknown step type 'backupFile'"],
                [5, 37, "unknown property 'parms'"],
                [8, 9, "unknown argument 'timeot' for command"],
                [9, 9, "duplicate id 'upgrade/stop' at lines 8 and 9"],
                [10, 9, "argument 'requestTimeout' of httpCheck: bad duration 'soon'"],
                [12, 24, "unknown role 'nope'"],
        ]
        problems.every { it.file() == ERRORS.resolve('multiple-errors.groovy').toString() }
    }

    def "the exception lists every problem as file:line:col: message, with hints, and no stack trace"() {
        when:
        Fixtures.loader().load(ERRORS.resolve('multiple-errors.groovy'), ERRORS.resolve(GOOD_ENV), [:])

        then:
        PlaybookException e = thrown()
        e.problems().size() == 7
        e.message.readLines()[0] == "${ERRORS.resolve('multiple-errors.groovy')}:2:5: missing required param 'version'"
        e.message.contains("  hint: did you mean 'backupFiles'?")
        e.hint() == 'fix the problems above; nothing was run'
        !e.message.contains('groovy.lang')
        !e.message.contains('LockstepScript')
    }
}
