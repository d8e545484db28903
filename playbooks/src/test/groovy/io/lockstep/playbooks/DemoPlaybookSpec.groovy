package io.lockstep.playbooks

import com.fasterxml.jackson.databind.ObjectMapper
import io.lockstep.cli.Main
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.charset.StandardCharsets
import java.nio.file.Files
import java.nio.file.Path

/**
 * The demo of bin/demo, end to end through the CLI: the real demo service is installed in a
 * scratch directory, its old release started on a free port of 127.0.0.1, and the playbook
 * upgrades it, or, when the new release is broken, rolls it back.
 */
class DemoPlaybookSpec extends Specification {

    static final Path DEMO = Path.of('demo').toAbsolutePath()
    static final String JAVA = Path.of(System.getProperty('java.home'), 'bin', 'java').toString()

    @TempDir
    Path dir

    Path home
    Path env
    int port

    def setup() {
        home = dir.resolve('service')
        port = freePort()
        java(DEMO.resolve('service/DemoService.java').toString(), 'install', '--home', home.toString())
        // The environment under test: the demo's base, with this scratch service and port.
        env = dir.resolve('test.groovy')
        Files.writeString(env, """\
            environment('test') {
                inherits '${DEMO.resolve('env/base.groovy')}'
                vars {
                    port = ${port}
                    home = '${home}'
                }
            }
            """.stripIndent())
        java('-cp', home.resolve('current/classes').toString(), 'DemoService', 'start',
            '--home', home.toString(), '--port', String.valueOf(port))
    }

    def cleanup() {
        java('-cp', home.resolve('current/classes').toString(), 'DemoService', 'stop', '--home', home.toString())
    }

    def "the upgrade succeeds: the new version serves and the journal has every step in order"() {
        when:
        def result = lockstep('run', DEMO.resolve('upgrade.groovy').toString(), '-e', env.toString())

        then:
        result.code == 0
        result.out =~ /run \S+ succeeded in /
        get('/version') == '1.1.0'
        Files.readString(home.resolve('data/store.txt')).startsWith('# demo data, format 2\n')

        and:
        def view = statusJson()
        view.status == 'SUCCEEDED'
        finished(view) == ['preflight/answers', 'preflight/old-version', 'stop/service', 'backup/data',
                           'upgrade/switch', 'upgrade/start', 'verify/version', 'verify/log']
        view.steps.find { it.stepId == 'upgrade/switch' }.outputs == [previous: '1.0.0', current: '1.1.0']
    }

    def "a broken release is rolled back: new stopped, current switched back, data restored, old started"() {
        given:
        byte[] dataBefore = Files.readAllBytes(home.resolve('data/store.txt'))

        when:
        def result = lockstep('run', DEMO.resolve('upgrade.groovy').toString(), '-e', env.toString(),
            '-p', 'breakHealthCheck=true')

        then:
        result.code == 3
        result.out =~ /run \S+ failed at verify\/version: /
        result.out.contains('rolled back in ')
        result.out.contains(': undone upgrade/start, upgrade/switch, backup/data, stop/service\n')

        and: 'the journal has the forward steps, then the compensations in exactly this order'
        def view = statusJson()
        view.status == 'ROLLED_BACK'
        trace(view) == [
            'do preflight/answers', 'do preflight/old-version', 'do stop/service', 'do backup/data',
            'do upgrade/switch', 'do upgrade/start', 'fail verify/version',
            'undo upgrade/start', 'undo upgrade/switch', 'undo backup/data', 'undo stop/service']

        and: 'the old version serves again, on the data as it was, byte for byte'
        get('/version') == '1.0.0'
        Files.readAllBytes(home.resolve('data/store.txt')) == dataBefore
        home.resolve('current').toRealPath().fileName.toString() == '1.0.0'
        Files.readString(home.resolve('logs/service.log')) =~ /(?m)^\S+Z INFO migrated data\/store.txt from format 1 to 2/
    }

    def "status shows the rolled-back run: steps, what was undone, the journal"() {
        given:
        lockstep('run', DEMO.resolve('upgrade.groovy').toString(), '-e', env.toString(), '-p', 'breakHealthCheck=true')

        when:
        def status = lockstep('status')

        then:
        status.code == 0
        status.out =~ /(?m)^Playbook  demo-upgrade @ test$/
        status.out =~ /(?m)^Params    breakHealthCheck=true  version=1\.1\.0$/
        status.out =~ /(?m)^Status    rolled-back  verify\/version failed: /
        status.out =~ /(?m)^  backup\/data +\S+ finished +1 +\S+ +undone$/
        status.out =~ /(?m)^  verify\/version +\S+ failed +1 +- +-$/
        status.out =~ /(?m)^ +\d+  \S+  COMPENSATION_FINISHED  stop\/service$/

        and: 'the report is in the run artifacts'
        def runId = (status.out =~ /(?m)^Run +(\S+)$/)[0][1]
        def report = Files.readString(dir.resolve("store/runs/${runId}/artifacts/report.md"))
        report.contains('Undone, in this order:\n\n1. `upgrade/start`\n2. `upgrade/switch`\n3. `backup/data`\n4. `stop/service`\n')
        report.contains('| `breakHealthCheck` | `true` |')
    }

    private static List<String> finished(Map view) {
        view.records.findAll { it.type == 'STEP_FINISHED' }*.stepId
    }

    /** What happened, from the journal: "do" when a step finished, "undo" when its compensation did. */
    private static List<String> trace(Map view) {
        view.records.collectMany { r ->
            switch (r.type) {
                case 'STEP_FINISHED': return ["do ${r.stepId}".toString()]
                case 'STEP_FAILED': return ["fail ${r.stepId}".toString()]
                case 'COMPENSATION_FINISHED': return ["undo ${r.stepId}".toString()]
                default: return []
            }
        }
    }

    private Map statusJson() {
        def result = lockstep('status', '--json')
        assert result.code == 0
        new ObjectMapper().readValue(result.out, Map)
    }

    private Map lockstep(String... args) {
        def out = new ByteArrayOutputStream()
        def err = new ByteArrayOutputStream()
        def all = [args[0], '--store', dir.resolve('store').toString()] + (args as List).drop(1)
        int code = Main.execute(all as String[], new PrintStream(out, true, 'UTF-8'), new PrintStream(err, true, 'UTF-8'))
        [code: code, out: out.toString(StandardCharsets.UTF_8), err: err.toString(StandardCharsets.UTF_8)]
    }

    private String get(String path) {
        new URL("http://127.0.0.1:${port}${path}").getText('UTF-8').trim()
    }

    private static void java(String... args) {
        def process = new ProcessBuilder([JAVA] + (args as List)).redirectErrorStream(true).start()
        def output = process.inputStream.getText('UTF-8')
        assert process.waitFor() == 0: output
    }

    private static int freePort() {
        new ServerSocket(0, 1, InetAddress.getLoopbackAddress()).withCloseable { it.localPort }
    }
}
