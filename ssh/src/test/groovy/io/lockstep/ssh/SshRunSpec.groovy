package io.lockstep.ssh

import io.lockstep.engine.Lockstep
import io.lockstep.engine.RunEvent
import io.lockstep.engine.RunOptions
import io.lockstep.engine.RunResult
import io.lockstep.engine.RunStatus
import io.lockstep.engine.journal.FileJournalStore
import io.lockstep.engine.model.Group
import io.lockstep.engine.model.Playbook
import io.lockstep.engine.model.SecretRef
import io.lockstep.engine.model.Step
import io.lockstep.engine.model.Target
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path
import java.time.Duration
import java.util.concurrent.CopyOnWriteArrayList
import java.util.concurrent.TimeUnit

/** SSH steps run by the real engine: one connection per host and run, closed at its end; reconnects; timeouts; masking. */
class SshRunSpec extends Specification {

    static final String SECRET = 'pa55-w0rd-XYZ'

    @Shared
    @TempDir
    Path sshDir

    @Shared
    SshTestbed sshd

    @TempDir
    Path dir

    Target target
    List<RunEvent> events = new CopyOnWriteArrayList<>()
    Lockstep engine

    def setupSpec() {
        sshd = new SshTestbed(sshDir)
    }

    def cleanupSpec() {
        sshd?.close()
    }

    def setup() {
        target = sshd.target('gw-1')
        engine = Lockstep.builder()
                .store(new FileJournalStore(dir.resolve('runs')))
                .secrets { name -> Optional.ofNullable(name == 'api-token' ? SECRET : null) }
                .listener { events << it }
                .build()
    }

    private Step ssh(String id, Map args) {
        SshTestbed.step('ssh', id, args).target(target).build()
    }

    private RunResult run(Step... steps) {
        engine.run(new Playbook('hosts', 'test', new Group('', '', Group.Kind.SEQUENCE, steps.toList()), [:], [:],
                ['api-token'], null, dir), RunOptions.DEFAULTS)
    }

    private List<String> logLines() {
        events.findAll { it.type() == RunEvent.Type.STEP_LOG }*.message()
    }

    def "the steps of a run share one connection per host, closed when the run ends; secrets stay masked"() {
        given:
        int before = sshd.logins()

        when:
        RunResult result = run(
                ssh('a', [args: ['hostname']]),
                ssh('b', [args: ['sh', '-c', 'echo "token=$TOKEN"'], env: [TOKEN: new SecretRef('api-token')]]),
                ssh('c', [args: ['id', '-u'], sudo: true]),
                ssh('d', [shell: 'echo $((6 * 7))']))

        then:
        result.status() == RunStatus.SUCCEEDED
        result.outputs()['c'].stdout == '0'
        result.outputs()['d'].stdout == '42'
        sshd.logins() - before == 1

        and: 'the engine closed the connection when the run stopped'
        awaitNoConnections()

        and: 'the secret shows masked in the log and nowhere in the journal'
        logLines().contains('token=****')
        !logLines().any { it.contains(SECRET) }
        Files.walk(dir.resolve('runs')).filter { Files.isRegularFile(it) }.noneMatch { Files.readString(it).contains(SECRET) }
    }

    def "a connection the server dropped is replaced and the next step goes on"() {
        given:
        int before = sshd.logins()
        Step drop = Step.builder('drop', { ctx -> sshd.dropConnections(); [:] }).build()

        when:
        RunResult result = run(ssh('before', [args: ['true']]), drop, ssh('after', [args: ['echo', 'still here']]))

        then:
        result.status() == RunStatus.SUCCEEDED
        result.outputs()['after'].stdout == 'still here'
        sshd.logins() - before == 2
        logLines().any { it ==~ /ssh root@127\.0\.0\.1:\d+: the connection (had closed|was lost); connecting again/ }
    }

    def "a step's timeout ends the remote command"() {
        given:
        String marker = "${32000 + new Random().nextInt(999)}"
        Step sleepy = SshTestbed.step('ssh', 'sleepy', [args: ['sleep', marker]]).target(target).timeout(Duration.ofSeconds(1)).build()

        when:
        RunResult result = run(sleepy)

        then:
        result.status() in [RunStatus.FAILED, RunStatus.ROLLED_BACK]
        result.failedStep() == 'sleepy'
        SshStepSpec.awaitProcess("sleep $marker", false)
        awaitNoConnections()
    }

    private void awaitNoConnections() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10)
        while (!sshd.connectionPids().isEmpty()) {
            assert System.nanoTime() < deadline: "sshd still serves ${sshd.connectionPids()}"
            Thread.sleep(50)
        }
    }
}
