package io.lockstep.steps

import com.sun.net.httpserver.HttpServer
import io.lockstep.engine.Lockstep
import io.lockstep.engine.RunEvent
import io.lockstep.engine.RunOptions
import io.lockstep.engine.RunResult
import io.lockstep.engine.RunStatus
import io.lockstep.engine.journal.FileJournalStore
import io.lockstep.engine.model.Group
import io.lockstep.engine.model.Playbook
import io.lockstep.engine.model.Step
import io.lockstep.engine.spi.StepTypes
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.charset.StandardCharsets
import java.nio.file.Files
import java.nio.file.Path

/** The built-in steps run by the real engine with the file journal: forward, then rolled back. */
class BuiltInStepsRunSpec extends Specification {

    @TempDir
    Path dir

    StepTypes types = StepTypes.load(getClass().classLoader)
    List<RunEvent> events = [].asSynchronized()
    Lockstep engine

    def setup() {
        engine = Lockstep.builder()
                .store(new FileJournalStore(dir.resolve('runs')))
                .listener { events << it }
                .build()
    }

    private Step step(String type, String id, Map args) {
        Map all = [:]
        types.find(type).get().arguments().each { if (it.defaultValue() != null) all[it.name()] = it.defaultValue() }
        types.find(type).get().create(id, all + args).build()
    }

    private Playbook playbook(Step... steps) {
        new Playbook('upgrade', 'test', new Group('', '', Group.Kind.SEQUENCE, steps.toList()),
                [:], [:], [], null, dir.resolve('app'))
    }

    def "an unclean log after the upgrade rolls back and the data directory is restored exactly"() {
        given:
        Path app = Files.createDirectories(dir.resolve('app'))
        Files.createDirectories(app.resolve('data'))
        Files.createDirectories(app.resolve('logs'))
        Files.writeString(app.resolve('data/portal.db'), 'schema v1')
        Playbook playbook = playbook(
                step('backupFiles', 'backup/data', [path: 'data']),
                step('command', 'upgrade/start', [shell: '''
                        echo 'schema v2' > data/portal.db
                        echo 'cache' > data/new-cache
                        echo 'level=info msg="AutoMigrate"' >> logs/service.log
                        echo 'level=error msg="failed to migrate: column exists"' >> logs/service.log
                        echo upgraded
                        '''.stripIndent()]),
                step('assertLogClean', 'verify/log', [file: 'logs/service.log', expect: ['started version']]))

        when:
        RunResult result = engine.run(playbook, RunOptions.DEFAULTS)

        then:
        result.status() == RunStatus.ROLLED_BACK
        result.failedStep() == 'verify/log'
        result.error() == "log ${app.resolve('logs/service.log')} is not clean: 1 error line " +
                '(2: level=error msg="failed to migrate: column exists"); no line matched expected /started version/'
        result.compensated() == ['backup/data']
        Files.readString(app.resolve('data/portal.db')) == 'schema v1'
        !Files.exists(app.resolve('data/new-cache'))
        events.findAll { it.type() == RunEvent.Type.STEP_LOG && it.stepId() == 'upgrade/start' }*.message() == ['upgraded']
    }

    def "a healthy upgrade finishes with the outputs of every step"() {
        given:
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.loopbackAddress, 0), 0)
        server.createContext('/health') { exchange ->
            byte[] body = 'ok'.getBytes(StandardCharsets.UTF_8)
            exchange.sendResponseHeaders(200, body.length)
            exchange.responseBody.withCloseable { it.write(body) }
        }
        server.start()
        Path app = Files.createDirectories(dir.resolve('app'))
        Files.writeString(app.resolve('app.conf'), 'version=1')
        Playbook playbook = playbook(
                step('backupFiles', 'backup/conf', [path: 'app.conf']),
                step('command', 'upgrade/conf', [args: ['sh', '-c', 'echo version=2 > app.conf']]),
                step('httpCheck', 'verify/health', [url: "http://127.0.0.1:${server.address.port}/health".toString()]))

        when:
        RunResult result = engine.run(playbook, RunOptions.DEFAULTS)

        then:
        result.status() == RunStatus.SUCCEEDED
        result.outputs()['backup/conf'].existed == true
        result.outputs()['backup/conf'].files == 1
        result.outputs()['upgrade/conf'] == [exitCode: 0, stdout: '', stderr: '']
        result.outputs()['verify/health'] == [status: 200, body: 'ok', attempts: 1]

        cleanup:
        server?.stop(0)
    }
}
