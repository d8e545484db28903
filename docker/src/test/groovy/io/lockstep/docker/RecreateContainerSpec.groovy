package io.lockstep.docker

import io.lockstep.testing.TestStepContext
import com.github.dockerjava.api.DockerClient
import com.github.dockerjava.api.command.InspectContainerResponse
import io.lockstep.engine.model.SecretRef
import io.lockstep.engine.model.Step
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.TempDir

import com.fasterxml.jackson.databind.ObjectMapper
import io.lockstep.steps.StepArgs

import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.attribute.PosixFilePermissions

/** recreateContainer on the real daemon: v1 to v2 keeping the configuration, and back. */
class RecreateContainerSpec extends Specification {

    static final String NAME = 'lockstep-spec-recreate'
    static final String NETWORK = 'lockstep-spec-recreate-net'
    static final String VOLUME = 'lockstep-spec-recreate-data'

    @TempDir
    Path dir

    @Shared
    Docker docker

    DockerClient client
    int port

    def setupSpec() {
        DockerTestbed.ensureImages()
        docker = DockerTestbed.lease()
    }

    def cleanupSpec() {
        docker?.close()
    }

    def setup() {
        client = docker.client()
        DockerTestbed.cleanup(client, [NAME], [VOLUME], [NETWORK])
        client.createNetworkCmd().withName(NETWORK).exec()
        port = DockerTestbed.freePort()
        DockerTestbed.runWeb(client, NAME, DockerTestbed.V1, port, NETWORK, VOLUME)
        DockerTestbed.awaitHttp(port, '/VERSION')
    }

    def cleanup() {
        DockerTestbed.cleanup(client, [NAME], [VOLUME], [NETWORK])
    }

    def "a container is recreated on the new image with its env, port, volume, labels, restart policy, command and network, and the compensation brings v1 back"() {
        given:
        client.execCreateCmd(NAME).withCmd('sh', '-c', 'echo kept > /data/file').exec().id.with {
            client.execStartCmd(it).start().awaitCompletion()
        }
        InspectContainerResponse before = client.inspectContainerCmd(NAME).exec()
        Step step = DockerTestbed.step('recreateContainer', 'upgrade/web', [container: NAME, image: DockerTestbed.V2]).build()
        TestStepContext ctx = new TestStepContext(dir)
        ctx.stepId = 'upgrade/web'

        when:
        Map outputs = step.action().execute(ctx)
        InspectContainerResponse after = client.inspectContainerCmd(NAME).exec()

        then:
        DockerTestbed.awaitHttp(port, '/VERSION') == '2'
        outputs.container == NAME
        outputs.image == DockerTestbed.V2
        outputs.imageId == client.inspectImageCmd(DockerTestbed.V2).exec().id
        outputs.previousImage == DockerTestbed.V1
        outputs.previousImageId == before.imageId
        outputs.previousContainerId == before.id
        outputs.containerId == after.id
        after.id != before.id
        outputs.changed == true

        and: 'the recorded configuration is the container\'s own, without the image\'s defaults'
        Path recordFile = ctx.artifactsDir().resolve(StepArgs.fileName('upgrade/web')).resolve('previous-container.json')
        Map record = new ObjectMapper().readValue(recordFile.toFile(), Map)
        record.config.Env == ['GREETING=hello', 'APP_MODE=blue']
        record.config.Labels == [team: 'portal', (DockerTestbed.LABEL): 'yes']
        record.config.Cmd[0] == 'sh'
        record.hostConfig.RestartPolicy.Name == 'unless-stopped'
        record.networks.keySet() == [NETWORK] as Set
        Files.getPosixFilePermissions(recordFile) == PosixFilePermissions.fromString('rw-------')

        and: 'the outputs, which the journal keeps, name the variables but hold no value'
        outputs.previous == [name: NAME, id: before.id, image: DockerTestbed.V1, imageId: before.imageId, running: true,
                             envNames: ['GREETING', 'APP_MODE'], networks: [NETWORK]]

        and: 'the new container has that configuration on the new image'
        configuration(after) == configuration(before)
        after.config.env.toList().containsAll(['GREETING=hello', 'APP_MODE=blue', 'APP_VERSION=2'])
        !after.config.env.toList().contains('APP_MODE=green')
        after.config.labels.version == '2'
        after.state.running
        exec(NAME, 'cat', '/data/file') == 'kept'
        ctx.lines.any { it.startsWith("started $NAME") }

        when: 'the compensation runs with the outputs the journal kept'
        ctx.ownOutputs = outputs
        step.compensation().action().execute(ctx)
        InspectContainerResponse restored = client.inspectContainerCmd(NAME).exec()

        then:
        DockerTestbed.awaitHttp(port, '/VERSION') == '1'
        restored.imageId == before.imageId
        restored.config.image == DockerTestbed.V1
        configuration(restored) == configuration(before)
        restored.config.env.toList().containsAll(['GREETING=hello', 'APP_MODE=blue', 'APP_VERSION=1'])
        exec(NAME, 'cat', '/data/file') == 'kept'
    }

    def "a container stopped before the upgrade starts on the new image, and its compensation puts v1 back stopped"() {
        given: 'a playbook stopped the container first (to back up its data)'
        client.stopContainerCmd(NAME).withTimeout(5).exec()
        String stoppedId = client.inspectContainerCmd(NAME).exec().id
        Step step = DockerTestbed.step('recreateContainer', 'upgrade/web', [container: NAME, image: DockerTestbed.V2]).build()
        TestStepContext ctx = new TestStepContext(dir)
        ctx.stepId = 'upgrade/web'

        when:
        Map outputs = step.action().execute(ctx)

        then: 'the new container runs, like docker run'
        DockerTestbed.awaitHttp(port, '/VERSION') == '2'
        outputs.previous.running == false

        when: 'the compensation runs'
        ctx.ownOutputs = outputs
        step.compensation().action().execute(ctx)
        InspectContainerResponse restored = client.inspectContainerCmd(NAME).exec()

        then: 'v1 is back but not started, so a later compensation can restore its data first'
        restored.id != stoppedId
        restored.config.image == DockerTestbed.V1
        !restored.state.running
        ctx.lines.any { it.startsWith("created (not started, as it was) $NAME") }

        when: 'the compensation of the earlier stop starts it'
        client.startContainerCmd(NAME).exec()

        then:
        DockerTestbed.awaitHttp(port, '/VERSION') == '1'
    }

    def "env sets variables on the new container from secrets; the compensation brings back the old environment"() {
        given:
        Step step = DockerTestbed.step('recreateContainer', 'upgrade/web',
            [container: NAME, image: DockerTestbed.V2, env: [APP_MODE: 'green', API_KEY: new SecretRef('API_KEY')]]).build()
        TestStepContext ctx = new TestStepContext(dir)
        ctx.stepId = 'upgrade/web'
        ctx.secrets.API_KEY = 'k3y-from-the-vault'

        expect: 'the plan names the secret, not its value'
        step.arguments().env == [APP_MODE: 'green', API_KEY: '${secret:API_KEY}']

        when:
        Map outputs = step.action().execute(ctx)
        List<String> env = client.inspectContainerCmd(NAME).exec().config.env.toList()

        then:
        env.containsAll(['GREETING=hello', 'APP_MODE=green', 'API_KEY=k3y-from-the-vault'])
        !env.contains('APP_MODE=blue')
        !outputs.toString().contains('k3y-from-the-vault')

        when:
        ctx.ownOutputs = outputs
        step.compensation().action().execute(ctx)
        List<String> restored = client.inspectContainerCmd(NAME).exec().config.env.toList()

        then:
        restored.containsAll(['GREETING=hello', 'APP_MODE=blue'])
        !restored.any { it.startsWith('API_KEY=') }
    }

    def "the probe accepts a running container on the new image and refuses one on the old"() {
        given:
        Step step = DockerTestbed.step('recreateContainer', 'upgrade/web', [container: NAME, image: DockerTestbed.V2]).build()
        TestStepContext ctx = new TestStepContext(dir)
        ctx.stepId = 'upgrade/web'

        expect: 'nothing recorded yet: not done'
        !step.probe().check(ctx).present

        when:
        Map outputs = step.action().execute(ctx)

        then:
        step.probe().check(ctx).get().containerId == outputs.containerId
        step.probe().check(ctx).get().previousImage == DockerTestbed.V1

        when: 'run again: the container already runs v2, nothing changes'
        Map again = step.action().execute(ctx)

        then:
        again.containerId == outputs.containerId
    }

    def "an image that is not on the daemon fails before the container is touched"() {
        given:
        String id = client.inspectContainerCmd(NAME).exec().id
        Step step = DockerTestbed.step('recreateContainer', 'upgrade/web', [container: NAME, image: "${DockerTestbed.REPO}:missing".toString()]).build()

        when:
        step.action().execute(new TestStepContext(dir))

        then:
        def e = thrown(io.lockstep.steps.StepFailedException)
        e.message == "image ${DockerTestbed.REPO}:missing is not on ${DockerTestbed.HOST}: pull it first (pullImage)"
        client.inspectContainerCmd(NAME).exec().id == id
    }

    /** What must survive a recreate, as the daemon reports it. */
    private static Map configuration(InspectContainerResponse c) {
        [
                name         : c.name,
                env          : c.config.env.findAll { !it.startsWith('APP_VERSION=') }.sort(),
                cmd          : c.config.cmd.toList(),
                labels       : c.config.labels.findAll { it.key != 'version' },
                portBindings : c.hostConfig.portBindings.bindings.collectEntries { k, v -> [(k.toString()): v*.toString()] },
                binds        : c.hostConfig.binds*.toString(),
                restartPolicy: c.hostConfig.restartPolicy.toString(),
                networkMode  : c.hostConfig.networkMode,
                aliases      : c.networkSettings.networks[NETWORK].aliases.findAll { !c.id.startsWith(it) },
                healthcheck  : c.config.healthcheck?.test,
        ]
    }

    private String exec(String container, String... argv) {
        Step step = DockerTestbed.step('execInContainer', 'exec', [container: container, args: argv.toList()]).build()
        step.action().execute(new TestStepContext(dir)).stdout
    }
}
