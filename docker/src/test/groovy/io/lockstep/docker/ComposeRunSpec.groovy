package io.lockstep.docker

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

import java.nio.file.Files
import java.nio.file.Path
import java.time.Duration

/**
 * The Tyk portal upgrade as the playbook writes it, with compose steps, run by the real engine: stop
 * the portal, set its tag in the compose file, back up its database, pull, bring it up. A failing
 * version check rolls back in reverse: the new portal stops, the database and then the file are
 * restored, and the previous portal comes up again.
 */
class ComposeRunSpec extends Specification {

    @TempDir
    Path dir

    @Shared
    List<String> images

    String project
    Path file
    String original
    int port

    def setupSpec() {
        images = ComposeTestbed.webImages()
    }

    def setup() {
        project = ComposeTestbed.project()
        port = DockerTestbed.freePort()
        file = dir.resolve('docker-compose.yaml')
        original = ComposeTestbed.composeFile(images[0], port)
        Files.writeString(file, original)
        Files.writeString(dir.resolve('portal.db'), 'schema 1\n')
        ComposeTestbed.compose(file, project, 'up', '-d')
        DockerTestbed.awaitHttp(port, '/VERSION')
    }

    def cleanup() {
        ComposeTestbed.down(file, project)
    }

    private Step step(String type, String id, Map args) {
        DockerTestbed.step(type, id, args).build()
    }

    def "a failed check after the upgrade rolls back: stop the new portal, restore the database, restore the file, up the old one"() {
        given:
        Map compose = [file: 'docker-compose.yaml', service: 'web', project: project, dockerConfig: ComposeTestbed.dockerConfig()]
        Step migrate = Step.builder('upgrade/migrate', { ctx ->
            Files.writeString(dir.resolve('portal.db'), 'schema 2\n')
            [:]
        }).build()
        Playbook playbook = new Playbook('portal', 'test', new Group('', '', Group.Kind.SEQUENCE, [
                step('composeStop', 'upgrade/stop-portal', compose),
                step('composeSetImage', 'upgrade/set-tag', compose.subMap(['file', 'service']) + [image: images[1]]),
                step('backupFiles', 'upgrade/backup-db', [path: 'portal.db']),
                step('composePull', 'upgrade/pull', compose),
                step('composeUp', 'upgrade/start-portal', compose),
                migrate,
                step('httpCheck', 'verify/version', [url: "http://127.0.0.1:$port/VERSION".toString(),
                                                     expectBody: '^3$', retries: 20, interval: Duration.ofMillis(100)])
        ]), [:], [:], [], null, dir)
        FileJournalStore store = new FileJournalStore(dir.resolve('runs'))

        when:
        RunResult result = Lockstep.builder().store(store).build().run(playbook, RunOptions.DEFAULTS)

        then: 'the compensations run in reverse finishing order; the pull has nothing to undo'
        result.status() == RunStatus.ROLLED_BACK
        result.failedStep() == 'verify/version'
        trace(store, result.runId()).findAll { it.startsWith('COMPENSATION_STARTED') } == [
                'COMPENSATION_STARTED upgrade/start-portal',
                'COMPENSATION_STARTED upgrade/backup-db',
                'COMPENSATION_STARTED upgrade/set-tag',
                'COMPENSATION_STARTED upgrade/stop-portal']
        result.compensated() == ['upgrade/start-portal', 'upgrade/backup-db', 'upgrade/set-tag', 'upgrade/stop-portal']
        result.outputs()['upgrade/stop-portal'].wasRunning == true
        result.outputs()['upgrade/set-tag'].previousImage == images[0]
        result.outputs()['upgrade/start-portal'].image == images[1]

        and: 'the file is byte for byte the original, the database too, and the previous portal serves'
        Files.readString(file) == original
        Files.readString(dir.resolve('portal.db')) == 'schema 1\n'
        Docker docker = DockerTestbed.lease()
        try {
            with(docker.client().inspectContainerCmd("${project}_web_1").exec()) {
                state.running
                config.image == images[0]
            }
        } finally {
            docker.close()
        }
        DockerTestbed.awaitHttp(port, '/VERSION') == '1'
    }

    private static List<String> trace(FileJournalStore store, String runId) {
        store.open(runId).withCloseable { journal ->
            journal.records().collect { it.stepId() ? "${it.type()} ${it.stepId()}".toString() : it.type().toString() }
        }
    }
}
