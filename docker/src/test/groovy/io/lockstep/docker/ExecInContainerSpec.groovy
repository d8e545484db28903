package io.lockstep.docker

import io.lockstep.testing.TestStepContext
import io.lockstep.engine.model.Step
import io.lockstep.steps.StepFailedException
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.TempDir
import spock.lang.Unroll

import java.nio.file.Path

/** execInContainer on the real daemon: exit codes, streamed and captured output. */
class ExecInContainerSpec extends Specification {

    static final String NAME = 'lockstep-spec-exec'

    @TempDir
    Path dir

    @Shared
    Docker docker

    def setupSpec() {
        DockerTestbed.ensureImages()
        docker = DockerTestbed.lease()
        DockerTestbed.cleanup(docker.client(), [NAME])
        String id = docker.client().createContainerCmd(DockerTestbed.V1).withName(NAME)
                .withCmd('sh', '-c', 'trap "exit 0" TERM; sleep 600 & wait').exec().id
        docker.client().startContainerCmd(id).exec()
    }

    def cleanupSpec() {
        DockerTestbed.cleanup(docker.client(), [NAME])
        docker?.close()
    }

    private Map run(Map args) {
        Step step = DockerTestbed.step('execInContainer', 'db/dump', [container: NAME] + args).build()
        TestStepContext ctx = new TestStepContext(dir)
        Map outputs = step.action().execute(ctx)
        outputs + [lines: ctx.lines]
    }

    def "stdout and stderr are streamed to the log and captured; env, user and working directory apply"() {
        when:
        Map result = run(args: ['sh', '-c', 'echo "one $GREETING"; echo two >&2; id -u; pwd'],
                env: [GREETING: 'hi'], user: '65534', workingDir: '/www')

        then:
        result.exitCode == 0
        result.stdout == 'one hi\n65534\n/www'
        result.stderr == 'two'
        result.lines.containsAll(['one hi', 'two', '65534', '/www'])
    }

    @Unroll
    def "exit code #code with okExitCodes #ok: #outcome"() {
        when:
        Map result = null
        Exception failure = null
        try {
            result = run(args: ['sh', '-c', "echo oops >&2; exit $code"], okExitCodes: ok)
        } catch (StepFailedException e) {
            failure = e
        }

        then:
        (failure == null) == (outcome == 'passes')
        failure == null || failure.message == "run [sh, -c, echo oops >&2; exit $code] in container $NAME exited with $code: oops"
        result == null || result.exitCode == code

        where:
        code | ok     || outcome
        0    | [0]    || 'passes'
        3    | [0]    || 'fails'
        3    | [0, 3] || 'passes'
    }

    def "the captured output keeps only the last captureBytes"() {
        when:
        Map result = run(args: ['sh', '-c', 'for i in 1 2 3 4 5 6 7 8 9; do echo line$i; done'], captureBytes: 12)

        then:
        result.stdout == 'line8\nline9'
        result.lines.size() == 9
    }

    def "a program that does not exist fails with the runtime's reason"() {
        when:
        run(args: ['no-such-program'])

        then:
        def e = thrown(StepFailedException)
        e.message.startsWith("run [no-such-program] in container $NAME exited with 12")
    }

    def "a stopped container is refused"() {
        given:
        String stopped = 'lockstep-spec-exec-stopped'
        DockerTestbed.cleanup(docker.client(), [stopped])
        docker.client().createContainerCmd(DockerTestbed.V1).withName(stopped).exec()

        when:
        Step step = DockerTestbed.step('execInContainer', 'x', [container: stopped, args: ['true']]).build()
        step.action().execute(new TestStepContext(dir))

        then:
        def e = thrown(StepFailedException)
        e.message == "cannot run [true] in container $stopped: it is not running"

        cleanup:
        DockerTestbed.cleanup(docker.client(), [stopped])
    }
}
