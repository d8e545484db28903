package io.lockstep.ssh

import io.lockstep.testing.TestStepContext
import io.lockstep.engine.model.SecretRef
import io.lockstep.steps.StepFailedException
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.charset.StandardCharsets
import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.CancellationException
import java.util.concurrent.CompletableFuture
import java.util.concurrent.TimeUnit

/** The ssh step against a real sshd of the spec's own: exit codes, streaming, quoting, sudo, cancellation. */
class SshStepSpec extends Specification {

    @Shared
    @TempDir
    Path sshDir

    @Shared
    SshTestbed sshd

    @TempDir
    Path dir

    TestStepContext ctx

    def setupSpec() {
        sshd = new SshTestbed(sshDir)
    }

    def cleanupSpec() {
        sshd?.close()
    }

    def setup() {
        ctx = new TestStepContext(dir)
        ctx.target = sshd.target()
    }

    def cleanup() {
        ctx.close()
    }

    private Map<String, Object> run(Map args) {
        SshTestbed.step('ssh', 'step', args).build().action().execute(ctx)
    }

    def "runs a program and streams stdout and stderr lines to the log in order, keeping the exit code"() {
        when:
        Map out = run(args: ['sh', '-c', 'echo one; sleep 0.2; echo two >&2; sleep 0.2; echo three; exit 3'], okExitCodes: [3])

        then:
        out.exitCode == 3
        out.stdout == 'one\nthree'
        out.stderr == 'two'
        out.host == '127.0.0.1'
        ctx.lines == ['one', 'two', 'three']
    }

    def "an exit code that is not ok fails the step with the last error line"() {
        when:
        run(args: ['sh', '-c', 'echo config broken >&2; exit 4'])

        then:
        StepFailedException e = thrown()
        e.message == "ssh [sh, -c, echo config broken >&2; exit 4] on root@127.0.0.1:${sshd.port} exited with 4: config broken"
    }

    def "hostile values reach the program byte for byte: no value breaks out of its word"() {
        given:
        Path canary = dir.resolve('pwned')
        List<String> hostile = [
                "it's", 'a "quoted" word', "\$(touch $canary)", "`touch $canary`", "; touch $canary", "| touch $canary",
                "&& touch $canary", "line1\nline2\n", '*', '/etc/*', '?', '[a-z]', '-n', '--help', '-e', '\\', "'", "''",
                "'\\''", '', ' leading and trailing ', '>out', '<in', '!', '~', '~root', '#comment', "a\tb", '\r', '$HOME',
                '${PATH}', 'A=b', '%s', 'ünïcødé ✓ 日本語 🚀'].collect { it.toString() }
        Path echoed = dir.resolve('echoed')

        when: 'the values are printed back NUL-separated, to stdout and to a file'
        Map out = run(args: ['printf', '%s\\0', 'BEGIN', *hostile, 'END'])
        run(args: ['sh', '-c', 'printf "%s\\0" "$@" > "$0"', echoed.toString(), *hostile])

        then:
        out.stdout.split('\0', -1).toList() == ['BEGIN', *hostile, 'END', '']
        Files.readAllBytes(echoed) == hostile.collect { it + '\0' }.join('').getBytes(StandardCharsets.UTF_8)
        !Files.exists(canary)

        when: 'in env values and the working directory too'
        Path weird = Files.createDirectories(dir.resolve("it's \$(x) ü"))
        out = run(args: ['sh', '-c', 'printf "%s\\0" "$V" "$(pwd)"'], env: [V: hostile.join('|')], dir: weird.toString())

        then:
        out.stdout.split('\0', -1).toList() == [hostile.join('|'), weird.toString(), '']
        !Files.exists(canary)
    }

    def "shell is the one way to use shell syntax"() {
        when:
        Map out = run(shell: 'for i in 1 2; do echo "n=$i"; done | tr n N')

        then:
        out.stdout == 'N=1\nN=2'
    }

    def "sudo runs as root or as the given user, never prompting"() {
        expect:
        run(args: ['id', '-u'], sudo: true).stdout == '0'
        run(args: ['id', '-un'], sudo: 'nobody').stdout == 'nobody'
    }

    def "env values may be secrets: the log shows them masked"() {
        given:
        ctx.secrets['api-token'] = 's3cr3t-T0ken'

        when:
        Map out = run(args: ['sh', '-c', 'echo "token=$TOKEN"'], env: [TOKEN: new SecretRef('api-token')], sudo: true)

        then:
        out.stdout == 'token=s3cr3t-T0ken'
        ctx.lines == ['token=****']
    }

    def "cancelling the step ends the remote command, children of a shell line included"() {
        given:
        String marker = "${31000 + new Random().nextInt(999)}"

        when:
        CompletableFuture<Object> running = CompletableFuture.supplyAsync {
            try {
                run(args: args.collect { it.replace('MARK', marker) })
            } catch (Throwable e) {
                e
            }
        }
        awaitProcess("sleep $marker", true)
        ctx.cancel('timeout after 1s')
        Object result = running.get(10, TimeUnit.SECONDS)

        then:
        result instanceof CancellationException
        awaitProcess("sleep $marker", false)
        ctx.lines.any { it.contains('stopped on the host (timeout after 1s)') }

        where:
        args << [['sleep', 'MARK'], ['sh', '-c', 'sleep MARK; echo after']]
    }

    def "no host anywhere is named as such"() {
        given:
        ctx.target = null

        when:
        run(args: ['true'])

        then:
        StepFailedException e = thrown()
        e.message == 'ssh [true]: no host to connect to: the step has no target; give it a host argument (or a host argument on the step)'
    }

    static boolean awaitProcess(String pattern, boolean present) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10)
        while (System.nanoTime() < deadline) {
            Process p = new ProcessBuilder('pgrep', '-f', "^$pattern").start()
            p.waitFor()
            if ((p.exitValue() == 0) == present) {
                return true
            }
            Thread.sleep(50)
        }
        throw new AssertionError("process '$pattern' ${present ? 'never started' : 'still runs'}")
    }
}
