package io.lockstep.docker

import com.github.dockerjava.api.DockerClient
import io.lockstep.engine.Lockstep
import io.lockstep.engine.RunOptions
import io.lockstep.engine.RunResult
import io.lockstep.engine.RunStatus
import io.lockstep.engine.journal.FileJournalStore
import io.lockstep.engine.model.Group
import io.lockstep.engine.model.Playbook
import io.lockstep.engine.model.Step
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Path

/** The Docker steps run by the real engine with the file journal: upgrade, a failing check, rollback. */
class DockerRunSpec extends Specification {

    static final String NAME = 'lockstep-spec-run'
    static final String NETWORK = 'lockstep-spec-run-net'
    static final String VOLUME = 'lockstep-spec-run-data'

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

    private Playbook playbook(Step... steps) {
        new Playbook('web', 'test', new Group('', '', Group.Kind.SEQUENCE, steps.toList()), [:], [:], [], null, dir)
    }

    def "a failing check after the recreate rolls back: the container runs v1 again with its configuration"() {
        given:
        FileJournalStore store = new FileJournalStore(dir.resolve('runs'))
        Lockstep engine = Lockstep.builder().store(store).build()
        String v1Id = client.inspectContainerCmd(NAME).exec().imageId
        Playbook playbook = playbook(
                DockerTestbed.step('stopContainer', 'upgrade/stop', [container: NAME]).build(),
                DockerTestbed.step('startContainer', 'upgrade/start', [container: NAME]).build(),
                DockerTestbed.step('recreateContainer', 'upgrade/recreate', [container: NAME, image: DockerTestbed.V2]).build(),
                DockerTestbed.step('waitContainer', 'verify/healthy', [container: NAME, within: java.time.Duration.ofSeconds(30)]).build(),
                DockerTestbed.step('assertContainerLogClean', 'verify/log', [container: NAME, since: 'upgrade/recreate',
                        expect: ['started version 2 in blue']]).build(),
                DockerTestbed.step('execInContainer', 'verify/schema', [container: NAME, args: ['sh', '-c', 'echo schema too new >&2; exit 4']]).build())

        when:
        RunResult result = engine.run(playbook, RunOptions.DEFAULTS)

        then: 'checks have nothing to undo: the compensations run in reverse finishing order'
        result.status() == RunStatus.ROLLED_BACK
        result.failedStep() == 'verify/schema'
        result.error() == "run [sh, -c, echo schema too new >&2; exit 4] in container $NAME exited with 4: schema too new"
        result.compensated() == ['upgrade/recreate', 'upgrade/start', 'upgrade/stop']
        trace(store, result.runId()).findAll { !it.startsWith('RUN_') && !it.startsWith('ROLLBACK') } == [
                'STEP_STARTED upgrade/stop', 'STEP_FINISHED upgrade/stop',
                'STEP_STARTED upgrade/start', 'STEP_FINISHED upgrade/start',
                'STEP_STARTED upgrade/recreate', 'STEP_FINISHED upgrade/recreate',
                'STEP_STARTED verify/healthy', 'STEP_FINISHED verify/healthy',
                'STEP_STARTED verify/log', 'STEP_FINISHED verify/log',
                'STEP_STARTED verify/schema', 'STEP_FAILED verify/schema',
                'COMPENSATION_STARTED upgrade/recreate', 'COMPENSATION_FINISHED upgrade/recreate',
                'COMPENSATION_STARTED upgrade/start', 'COMPENSATION_FINISHED upgrade/start',
                'COMPENSATION_STARTED upgrade/stop', 'COMPENSATION_FINISHED upgrade/stop']
        result.outputs()['upgrade/stop'].wasRunning == true
        result.outputs()['upgrade/start'].wasRunning == false
        result.outputs()['upgrade/recreate'].previousImageId == v1Id
        result.outputs()['verify/healthy'].health == 'healthy'
        result.outputs()['verify/log'].expectedFound == ['started version 2 in blue']

        and: 'the previous version serves again from a running container with the same configuration'
        with(client.inspectContainerCmd(NAME).exec()) {
            imageId == v1Id
            config.image == DockerTestbed.V1
            state.running
            config.env.toList().containsAll(['GREETING=hello', 'APP_MODE=blue'])
            hostConfig.restartPolicy.name == 'unless-stopped'
        }
        DockerTestbed.awaitHttp(port, '/VERSION') == '1'
    }

    private static List<String> trace(FileJournalStore store, String runId) {
        store.open(runId).withCloseable { journal ->
            journal.records().collect { it.stepId() ? "${it.type()} ${it.stepId()}".toString() : it.type().toString() }
        }
    }
}
