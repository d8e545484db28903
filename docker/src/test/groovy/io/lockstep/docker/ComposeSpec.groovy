package io.lockstep.docker

import io.lockstep.testing.TestStepContext
import com.github.dockerjava.api.DockerClient
import com.github.dockerjava.api.command.InspectContainerResponse
import io.lockstep.engine.model.Step
import io.lockstep.steps.StepFailedException
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.CancellationException
import java.util.concurrent.CompletableFuture
import java.util.concurrent.ExecutionException
import java.util.concurrent.TimeUnit

/**
 * composePull, composeUp and composeStop with the real compose CLI (found on PATH), daemon and
 * password-protected registry: a project of its own per feature, taken down afterwards.
 */
class ComposeSpec extends Specification {

    @TempDir
    Path dir

    @Shared
    Docker docker

    @Shared
    List<String> images

    DockerClient client
    String project
    Path file
    int port

    def setupSpec() {
        images = ComposeTestbed.webImages()
        docker = DockerTestbed.lease()
    }

    def cleanupSpec() {
        docker?.close()
    }

    def setup() {
        client = docker.client()
        project = ComposeTestbed.project()
        port = DockerTestbed.freePort()
        file = dir.resolve('docker-compose.yaml')
        Files.writeString(file, ComposeTestbed.composeFile(images[0], port))
    }

    def cleanup() {
        ComposeTestbed.down(file, project)
    }

    private Step step(String type, String id, Map args = [:]) {
        DockerTestbed.step(type, id, [file: 'docker-compose.yaml', service: 'web', project: project,
                                      dockerConfig: ComposeTestbed.dockerConfig()] + args).build()
    }

    private TestStepContext context(String stepId) {
        TestStepContext ctx = new TestStepContext(dir)
        ctx.stepId = stepId
        ctx
    }

    private InspectContainerResponse container() {
        client.inspectContainerCmd("${project}_web_1").exec()
    }

    def "composePull pulls the service's image from the password-protected registry with dockerConfig's login"() {
        given:
        try { client.removeImageCmd(images[0]).exec() } catch (Exception ignored) { }
        TestStepContext ctx = context('pull')

        when:
        Map outputs = step('composePull', 'pull').action().execute(ctx)

        then:
        outputs == [file: file.toString(), service: 'web']
        client.inspectImageCmd(images[0]).exec().id == client.inspectImageCmd(DockerTestbed.V1).exec().id
        ctx.lines[0] == "\$ docker-compose -f $file -p $project pull web"
        ctx.lines.contains('Pulling web ... done')
    }

    def "a tag the registry does not have fails with the CLI's own words"() {
        given:
        String missing = images[0].replace(':1', ':no-such-tag')
        Files.writeString(file, ComposeTestbed.composeFile(missing, port))

        when:
        step('composePull', 'pull').action().execute(context('pull'))

        then:
        def e = thrown(StepFailedException)
        e.message.startsWith("docker-compose -f $file -p $project pull web exited with 1: manifest for $missing not found")
        !e.message.contains('Pulling web')
    }

    def "without the registry login the registry's refusal is shown"() {
        given:
        Files.writeString(file, ComposeTestbed.composeFile(images[0].replace(':1', ':2'), port))
        Path emptyConfig = Files.createDirectories(dir.resolve('no-login'))

        when:
        step('composePull', 'pull', [dockerConfig: emptyConfig.toString()]).action().execute(context('pull'))

        then:
        def e = thrown(StepFailedException)
        e.message.startsWith("docker-compose -f $file -p $project pull web exited with 1: ")
        e.message.contains('no basic auth credentials')
    }

    def "composeUp runs the image the file names; after composeSetImage it runs the new one, and its compensation stops it"() {
        when: 'the service comes up on version 1'
        Map first = step('composeUp', 'up-1').action().execute(context('up-1'))

        then:
        first.service == 'web'
        first.container == "${project}_web_1"
        first.image == images[0]
        first.imageId == client.inspectImageCmd(images[0]).exec().id
        first.previousContainerId == ''
        first.previousImage == ''
        first.wasRunning == false
        first.changed == true
        container().state.running
        container().imageId == first.imageId
        DockerTestbed.awaitHttp(port, '/VERSION') == '1'

        when: 'the file names version 2 and the service is brought up again'
        step('composeSetImage', 'set-tag', [image: images[1]]).action().execute(context('set-tag'))
        TestStepContext upgrade = context('up-2')
        Step up2 = step('composeUp', 'up-2')
        Map second = up2.action().execute(upgrade)

        then:
        second.image == images[1]
        second.imageId == client.inspectImageCmd(images[1]).exec().id
        container().imageId == second.imageId
        second.containerId != first.containerId
        second.previousContainerId == first.containerId
        second.previousImage == images[0]
        second.wasRunning == true
        second.changed == true
        upgrade.lines.any { it.startsWith('Recreating') }
        upgrade.lines.last() == "service web runs ${images[1]} in container ${project}_web_1 (${second.containerId.take(12)})"
        DockerTestbed.awaitHttp(port, '/VERSION') == '2'
        up2.probe().check(upgrade).get() == second

        when: 'up again as another step: nothing changes, so its compensation has nothing to undo'
        TestStepContext again = context('up-3')
        Map third = step('composeUp', 'up-3').action().execute(again)
        again.ownOutputs = third
        step('composeUp', 'up-3').compensation().action().execute(again)

        then:
        third.containerId == second.containerId
        third.changed == false
        again.lines.last() == 'nothing to undo: the service already ran this container'
        container().state.running

        when: 'the compensation of the upgrade stops the service'
        upgrade.ownOutputs = second
        Map undone = up2.compensation().action().execute(upgrade)

        then:
        undone.wasRunning == true
        !container().state.running
    }

    def "composeStop stops the service; its probe sees it stopped; its compensation brings it back"() {
        given:
        ComposeTestbed.compose(file, project, 'up', '-d')
        DockerTestbed.awaitHttp(port, '/VERSION')
        String id = container().id
        TestStepContext ctx = context('stop')
        Step stop = step('composeStop', 'stop', [stopTimeout: java.time.Duration.ofSeconds(2)])

        expect:
        !stop.probe().check(ctx).isPresent()

        when:
        Map outputs = stop.action().execute(ctx)

        then:
        outputs == [service: 'web', wasRunning: true, containers: ["${project}_web_1".toString()]]
        !container().state.running
        ctx.lines.contains("\$ docker-compose -f $file -p $project stop -t 2 web".toString())
        stop.probe().check(ctx).get() == outputs

        when: 'stopped again: nothing was running'
        Map again = stop.action().execute(ctx)

        then:
        again.wasRunning == false
        ctx.lines.last() == 'service web is not running'

        when:
        ctx.ownOutputs = outputs
        Map undone = stop.compensation().action().execute(ctx)

        then:
        container().state.running
        container().id == id
        undone.containerId == id
        undone.image == images[0]
        DockerTestbed.awaitHttp(port, '/VERSION') == '1'
    }

    def "cancelling the step kills a compose CLI that hangs"() {
        given: 'a registry that accepts connections and never answers'
        ServerSocket silent = new ServerSocket(0, 50, InetAddress.loopbackAddress)
        List<Socket> held = Collections.synchronizedList([])
        Thread.startDaemon { while (!silent.closed) { try { held << silent.accept() } catch (IOException ignored) { } } }
        Files.writeString(file, ComposeTestbed.composeFile("127.0.0.1:${silent.localPort}/lockstep-spec/hangs:1", port))
        TestStepContext ctx = context('pull')
        Step pull = step('composePull', 'pull')
        CompletableFuture<Map> running = CompletableFuture.supplyAsync { pull.action().execute(ctx) }

        when:
        ProcessHandle cli = awaitChild('docker-compose')
        Thread.sleep(1000)
        ctx.cancel('timeout after 1s')
        running.get(30, TimeUnit.SECONDS)

        then:
        ExecutionException e = thrown()
        e.cause instanceof CancellationException
        e.cause.message == 'timeout after 1s'
        !alive(cli)

        cleanup:
        silent.close()
        held.each { it.close() }
    }

    def "a compose CLI that is not installed is named"() {
        when:
        step('composeUp', 'up', [composeCommand: ['lockstep-no-such-compose']]).action().execute(context('up'))

        then:
        def e = thrown(StepFailedException)
        e.message == "lockstep-no-such-compose not found on PATH: install it or set composeCommand " +
                "(for the compose plugin: composeCommand: ['docker', 'compose'])"
    }

    def "a service the file does not define is named before the CLI runs, with a suggestion"() {
        when:
        step(type, 'x', [service: 'webb']).action().execute(context('x'))

        then:
        def e = thrown(StepFailedException)
        e.message == "no service 'webb' in $file: did you mean 'web'? (services: web)"

        where:
        type << ['composePull', 'composeUp', 'composeStop']
    }

    def "errors of the CLI are reported in its own words"() {
        given:
        Files.writeString(file, ComposeTestbed.composeFile(images[0], port) + '    ports: 12\n')

        when:
        step('composeUp', 'up').action().execute(context('up'))

        then:
        def e = thrown(StepFailedException)
        e.message.startsWith("docker-compose -f $file -p $project ps -a -q web exited with 1: ")
        e.message.contains('ports')
    }

    /** The JVM's child process running {@code program}, once it has started. */
    private static ProcessHandle awaitChild(String program) {
        for (int i = 0; i < 300; i++) {
            ProcessHandle child = ProcessHandle.current().descendants()
                    .filter { it.info().commandLine().orElse('').contains(program) }
                    .findFirst().orElse(null)
            if (child != null) {
                return child
            }
            Thread.sleep(50)
        }
        throw new AssertionError("$program never started")
    }

    private static boolean alive(ProcessHandle handle) {
        try {
            handle.onExit().get(10, TimeUnit.SECONDS)
        } catch (Exception ignored) {
            // still alive after 10 s
        }
        handle.alive
    }
}
