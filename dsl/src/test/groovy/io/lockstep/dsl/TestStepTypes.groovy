package io.lockstep.dsl

import io.lockstep.engine.model.Compensation
import io.lockstep.engine.model.Step
import io.lockstep.engine.spi.ArgSpec
import io.lockstep.engine.spi.StepType
import io.lockstep.engine.spi.StepTypes

import java.time.Duration

/** Stand-ins for the built-in step types, with their argument lists; actions record their calls. */
class TestStepTypes {

    static final List<String> CALLS = Collections.synchronizedList([])

    static StepTypes all() {
        StepTypes.of([
                type('command', 'run a program', [
                        ArgSpec.optional('args', List, null, 'program and arguments'),
                        ArgSpec.optional('shell', String, null, 'a command line for sh -c'),
                        ArgSpec.optional('dir', String, null, 'working directory'),
                        ArgSpec.optional('captureBytes', Integer, 65536, 'output to keep'),
                ]),
                type('backupFiles', 'copy files to the run artifacts', [
                        ArgSpec.required('path', String, 'file or directory to back up'),
                        ArgSpec.optional('keep', Long, 3L, 'backups to keep'),
                ], Compensation.of('delete the backup copy', { ctx -> [:] })),
                type('restoreFiles', 'restore files from a backup', [
                        ArgSpec.required('path', String, 'where to restore'),
                        ArgSpec.required('from', String, 'backup step id'),
                ]),
                type('httpCheck', 'check an HTTP endpoint', [
                        ArgSpec.required('url', String, 'the URL'),
                        ArgSpec.optional('expectStatus', Integer, 200, 'status expected'),
                        ArgSpec.optional('expectBody', String, null, 'text the body contains'),
                        ArgSpec.optional('requestTimeout', Duration, Duration.ofSeconds(5), 'per request'),
                ]),
                type('assertLogClean', 'scan a log for errors', [
                        ArgSpec.required('file', String, 'the log file'),
                        ArgSpec.optional('patterns', List, ['ERROR'], 'error patterns'),
                ]),
        ])
    }

    static StepType type(String name, String summary, List<ArgSpec> args, Compensation compensation = Compensation.none()) {
        new StepType() {
            String name() { name }

            String summary() { summary }

            List<ArgSpec> arguments() { args }

            Step.Builder create(String id, Map<String, Object> arguments) {
                if (name == 'command' && (arguments.args == null) == (arguments.shell == null)) {
                    throw new IllegalArgumentException("command '${id}': give exactly one of args or shell")
                }
                Step.builder(id, { ctx -> CALLS << "${name} ${id}".toString(); [ran: id] })
                        .type(name)
                        .describe("${name} ${arguments}")
                        .compensation(compensation)
                        .argument('given', arguments)
            }
        }
    }
}
