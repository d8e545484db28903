package io.lockstep.steps

import io.lockstep.engine.model.SecretRef
import io.lockstep.engine.model.Step
import io.lockstep.engine.model.Template
import io.lockstep.steps.command.CommandStepType
import spock.lang.Specification
import spock.lang.TempDir
import spock.lang.Unroll

import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.CancellationException
import java.util.concurrent.CompletableFuture
import java.util.concurrent.ExecutionException
import java.util.concurrent.TimeUnit

class CommandStepSpec extends Specification {

    @TempDir
    Path dir

    TestStepContext ctx
    CommandStepType type = new CommandStepType()

    def setup() {
        ctx = new TestStepContext(dir)
    }

    private Step step(Map args) {
        Map defaults = [env: [:], okExitCodes: [0], captureBytes: 65536]
        type.create('upgrade/cmd', defaults + args).build()
    }

    def "runs an argv list without a shell and streams its output"() {
        given:
        Step step = step(args: ['printf', 'one\\ntwo $HOME\\n'])

        when:
        Map outputs = step.action().execute(ctx)

        then:
        outputs == [exitCode: 0, stdout: 'one\ntwo $HOME', stderr: '']
        ctx.lines == ['one', 'two $HOME']
        step.type() == 'command'
        !step.idempotent()
        step.description() == 'run [printf, one\\ntwo $HOME\\n]'
    }

    def "runs a shell command line with dir and env, secrets resolved only inside the action"() {
        given:
        Files.createDirectory(dir.resolve('work'))
        ctx.secrets.token = 's3cret'
        Step step = step(shell: 'echo "$GREETING from $(basename $(pwd))"; echo "token=$TOKEN" >&2',
                dir: 'work', env: [GREETING: 'hello', TOKEN: new SecretRef('token')])

        when:
        Map outputs = step.action().execute(ctx)

        then:
        outputs.stdout == 'hello from work'
        outputs.stderr == 'token=s3cret'
        ctx.lines.containsAll(['hello from work', 'token=****'])
        step.arguments().env == [GREETING: 'hello', TOKEN: '${secret:token}']
        step.description() == 'run [sh, -c, echo "$GREETING from $(basename $(pwd))"; echo "token=$TOKEN" >&2] in work with env [GREETING, TOKEN]'
    }

    def "templates in argv are resolved at run time"() {
        given:
        ctx.secrets.pw = 'hunter2'
        Step step = step(args: ['printf', new Template(['pw=', new SecretRef('pw')])])

        when:
        Map outputs = step.action().execute(ctx)

        then:
        outputs.stdout == 'pw=hunter2'
        step.arguments().args == ['printf', 'pw=${secret:pw}']
    }

    def "a non-ok exit code fails with the last stderr line"() {
        given:
        Step step = step(shell: 'echo first problem >&2; echo disk full >&2; exit 3')

        when:
        step.action().execute(ctx)

        then:
        StepFailedException e = thrown()
        e.message == 'command [sh, -c, echo first problem >&2; echo disk full >&2; exit 3] exited with 3: disk full'
    }

    @Unroll
    def "exit code #code with okExitCodes #ok succeeds: #succeeds"() {
        given:
        Step step = step(shell: "exit $code", okExitCodes: ok)

        when:
        Map outputs = null
        Exception failure = null
        try {
            outputs = step.action().execute(ctx)
        } catch (StepFailedException e) {
            failure = e
        }

        then:
        (failure == null) == succeeds
        !succeeds || outputs.exitCode == code

        where:
        code | ok     || succeeds
        0    | [0]    || true
        1    | [0]    || false
        1    | [0, 1] || true
        2    | [0, 1] || false
    }

    def "false fails with a message naming the command"() {
        when:
        step(args: ['false']).action().execute(ctx)

        then:
        StepFailedException e = thrown()
        e.message == 'command [false] exited with 1'
    }

    def "a missing executable gets a clear message"() {
        when:
        step(args: ['no-such-program-here', '--version']).action().execute(ctx)

        then:
        StepFailedException e = thrown()
        e.message == "cannot run 'no-such-program-here': no such file or command"
    }

    def "a missing working directory gets a clear message"() {
        when:
        step(args: ['true'], dir: 'missing').action().execute(ctx)

        then:
        StepFailedException e = thrown()
        e.message == "command [true]: working directory ${dir.resolve('missing')} does not exist"
    }

    @Unroll
    def "args #args and shell #shell are rejected: #message"() {
        when:
        type.create('x', [args: args, shell: shell, env: [:], okExitCodes: [0], captureBytes: 10])

        then:
        IllegalArgumentException e = thrown()
        e.message == message

        where:
        args   | shell  || message
        null   | null   || "command 'x': give exactly one of args (a list: program and arguments) or shell (a command line for sh -c)"
        ['ls'] | 'ls'   || "command 'x': give exactly one of args (a list: program and arguments) or shell (a command line for sh -c)"
        []     | null   || "command 'x': args must name a program"
    }

    def "only the last captureBytes of the output are kept"() {
        given:
        Step step = step(shell: 'seq 1 20000', captureBytes: 12)

        when:
        Map outputs = step.action().execute(ctx)

        then:
        outputs.stdout == '19999\n20000'
        ctx.lines.size() == 20000
        ctx.lines.last() == '20000'
    }

    def "cancellation destroys the process tree"() {
        given:
        Path pidFile = dir.resolve('pids')
        Step step = step(shell: "sleep 300 & echo \$! > $pidFile; wait")
        CompletableFuture<Map> running = CompletableFuture.supplyAsync { step.action().execute(ctx) }

        when:
        long pid = awaitPid(pidFile)
        ctx.cancel('timeout after 1s')
        running.get(30, TimeUnit.SECONDS)

        then:
        ExecutionException e = thrown()
        e.cause instanceof CancellationException
        e.cause.message == 'timeout after 1s'
        gone(pid)
    }

    def "interrupting the action's thread destroys the process tree"() {
        given:
        Path pidFile = dir.resolve('pids')
        Step step = step(args: ['sh', '-c', "sleep 300 & echo \$! > $pidFile; wait"])
        Throwable failure = null
        Thread worker = Thread.start {
            try {
                step.action().execute(ctx)
            } catch (Throwable t) {
                failure = t
            }
        }

        when:
        long pid = awaitPid(pidFile)
        worker.interrupt()
        worker.join(30_000)

        then:
        !worker.alive
        failure instanceof InterruptedException
        gone(pid)
    }

    private static long awaitPid(Path pidFile) {
        for (int i = 0; i < 300; i++) {
            if (Files.exists(pidFile) && Files.readString(pidFile).trim()) {
                return Long.parseLong(Files.readString(pidFile).trim())
            }
            Thread.sleep(50)
        }
        throw new AssertionError('the command never wrote its pid')
    }

    private static boolean gone(long pid) {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid)
        if (handle.isPresent()) {
            handle.get().onExit().get(10, TimeUnit.SECONDS)
        }
        !ProcessHandle.of(pid).map { it.alive }.orElse(false)
    }
}
