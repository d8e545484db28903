package io.lockstep.docker

import io.lockstep.testing.TestStepContext
import com.github.dockerjava.api.DockerClient
import io.lockstep.engine.model.Step
import io.lockstep.steps.StepFailedException
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Path
import java.time.Duration
import java.time.Instant

/** waitContainer, stop/start and assertContainerLogClean on the real daemon. */
class ContainerStateSpec extends Specification {

    static final String NAME = 'lockstep-spec-state'

    @TempDir
    Path dir

    @Shared
    Docker docker

    DockerClient client

    def setupSpec() {
        DockerTestbed.ensureImages()
        docker = DockerTestbed.lease()
    }

    def cleanupSpec() {
        docker?.close()
    }

    def setup() {
        client = docker.client()
        DockerTestbed.cleanup(client, [NAME])
    }

    def cleanup() {
        DockerTestbed.cleanup(client, [NAME])
    }

    private String run(String... cmd) {
        String id = client.createContainerCmd(DockerTestbed.V1).withName(NAME).withCmd(cmd).exec().id
        client.startContainerCmd(id).exec()
        id
    }

    private Map execute(String type, Map args, TestStepContext ctx = new TestStepContext(dir)) {
        DockerTestbed.step(type, 'step', [container: NAME] + args).build().action().execute(ctx)
    }

    def "waitContainer waits for healthy when the container has a healthcheck"() {
        given:
        run('sh', '-c', 'trap "exit 0" TERM; sleep 1; httpd -f -p 8081 -h /www & wait')

        when:
        Map outputs = execute('waitContainer', [within: Duration.ofSeconds(30)])

        then:
        outputs.status == 'running'
        outputs.health == 'healthy'
        outputs.waitedMillis > 0
    }

    def "waitContainer fails with the last health check and log lines when the container never turns healthy"() {
        given: 'the image\'s own command listens on 8080, its healthcheck asks 8081'
        run('sh', '-c', 'trap "exit 0" TERM; echo listening on 8080; httpd -f -p 8080 -h /www & wait')

        when:
        execute('waitContainer', [within: Duration.ofSeconds(4)])

        then:
        def e = thrown(StepFailedException)
        e.message.startsWith("container $NAME did not become healthy within 4s: running, health ")
        e.message.contains(', last check exited 1: ')
        e.message.endsWith('listening on 8080')
    }

    def "waitContainer fails at once when the container exits"() {
        given:
        run('sh', '-c', 'echo cannot open config >&2; exit 3')

        when:
        long start = System.nanoTime()
        execute('waitContainer', [within: Duration.ofSeconds(30)])

        then:
        def e = thrown(StepFailedException)
        e.message ==~ /container $NAME is not running: exited with code 3; last log lines: \S+ cannot open config/
        (System.nanoTime() - start) < 20_000_000_000L
    }

    def "stopContainer and startContainer record the state before and undo each other"() {
        given:
        run('sh', '-c', 'trap "exit 0" TERM; sleep 600 & wait')
        Step stop = DockerTestbed.step('stopContainer', 'stop', [container: NAME]).build()
        Step start = DockerTestbed.step('startContainer', 'start', [container: NAME]).build()
        TestStepContext ctx = new TestStepContext(dir)

        when:
        Map stopped = stop.action().execute(ctx)

        then:
        stopped.wasRunning == true
        !client.inspectContainerCmd(NAME).exec().state.running
        stop.probe().check(ctx).present
        !start.probe().check(ctx).present

        when:
        Map started = start.action().execute(ctx)

        then:
        started.wasRunning == false
        client.inspectContainerCmd(NAME).exec().state.running

        when: 'rollback: start is undone first, then stop'
        ctx.ownOutputs = started
        start.compensation().action().execute(ctx)

        then:
        !client.inspectContainerCmd(NAME).exec().state.running

        when:
        ctx.ownOutputs = stopped
        stop.compensation().action().execute(ctx)

        then:
        client.inspectContainerCmd(NAME).exec().state.running
    }

    def "assertContainerLogClean counts only the lines logged since the given step started"() {
        given:
        run('sh', '-c', 'trap "exit 0" TERM; echo "level=error msg=old failure"; sleep 2; echo "level=info msg=AutoMigrate done"; sleep 600 & wait')
        Thread.sleep(1200)
        TestStepContext ctx = new TestStepContext(dir)
        ctx.stepStarts['upgrade/recreate'] = Instant.now()

        when:
        Map outputs = execute('assertContainerLogClean', [since: 'upgrade/recreate', expect: ['AutoMigrate'], follow: Duration.ofSeconds(10)], ctx)

        then:
        outputs.errorCount == 0
        outputs.expectedFound == ['AutoMigrate']
        outputs.linesScanned == 1

        when: 'without since the step looks at what is logged while it runs'
        execute('assertContainerLogClean', [expect: ['AutoMigrate']])

        then:
        def e = thrown(StepFailedException)
        e.message == "log of container $NAME since this step began is not clean: no line matched expected /AutoMigrate/"
    }

    def "assertContainerLogClean fails on an error line after the step and names it"() {
        given:
        TestStepContext ctx = new TestStepContext(dir)
        ctx.stepStarts['upgrade/recreate'] = Instant.now()
        run('sh', '-c', 'trap "exit 0" TERM; echo "level=error msg=\\"failed to migrate database\\""; sleep 600 & wait')

        when:
        execute('assertContainerLogClean', [since: 'upgrade/recreate', follow: Duration.ofSeconds(5)], ctx)

        then:
        def e = thrown(StepFailedException)
        e.message ==~ /log of container $NAME since step 'upgrade\/recreate' started is not clean: 1 error line \(1: \S+ level=error msg="failed to migrate database"\)/
    }
}
