package io.lockstep.playbooks.tyk

import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path

/**
 * playbooks/tyk-gateway/docker.groovy and hybrid-docker.groovy end to end through the CLI, on the
 * testbed's real daemon and registry: a gateway stand-in started with docker run, its config file
 * mounted, is upgraded; a version that does not start is rolled back.
 */
class GatewayDockerPlaybookSpec extends Specification {

    static final Path OSS = Path.of('tyk-gateway/docker.groovy').toAbsolutePath()
    static final Path HYBRID = Path.of('tyk-gateway/hybrid-docker.groovy').toAbsolutePath()
    static final String CONFIG = '{\n  "listen_port": 8080,\n  "secret": "from-the-config-file"\n}\n'

    @TempDir
    Path dir

    String container = "lockstep-e2e-gateway-${Long.toString(System.nanoTime(), 36)}"
    int port = Testbed.freePort()
    Path config
    Path env
    CliRunner cli

    def setup() {
        config = dir.resolve('tyk.conf')
        Files.writeString(config, CONFIG)
        env = dir.resolve('e2e.groovy')
        Files.writeString(env, """\
            environment('e2e') {
                inherits '${OSS.resolveSibling('env/testbed-hybrid.groovy')}'
                vars {
                    gatewayContainer = '$container'
                    gatewayImage = '${Testbed.registry()}/tyk-gateway'
                    gatewayUrl = 'http://127.0.0.1:$port'
                    gatewayConfig = '$config'
                    dockerConfig = '${Testbed.get('DOCKER_CONFIG')}'
                }
            }
            """.stripIndent())
        cli = new CliRunner(dir.resolve('store'))
    }

    def cleanup() {
        Testbed.dockerQuietly('rm', '-f', container)
    }

    private void startGateway(String version, Map<String, String> settings = [:]) {
        Testbed.docker('pull', Testbed.image('tyk-gateway', version))
        Testbed.docker(*(['run', '-d', '--name', container, '-p', "127.0.0.1:$port:8080".toString(),
                          '-v', "$config:/opt/tyk-gateway/tyk.conf".toString()] +
                settings.collectMany { k, v -> ['-e', "$k=$v".toString()] } +
                [Testbed.image('tyk-gateway', version)]) as String[])
        assert Testbed.awaitOk("http://127.0.0.1:$port/hello").contains("\"version\":\"v$version\"")
    }

    def "the OSS gateway is upgraded on the same container settings and judged from its log and health check"() {
        given:
        startGateway('5.2.5')

        when:
        def run = cli.run('run', OSS.toString(), '-e', env.toString(), '-p', 'version=5.3.0')

        then:
        run.code == 0
        cli.finished(run.runId) == ['preflight/current-version', 'prepare/image', 'stop/gateway', 'backup/config',
                                    'upgrade/gateway', 'upgrade/started', 'verify/health', 'verify/version']
        cli.outputs(run.runId, 'preflight/current-version').captured == 'v5.2.5'
        cli.outputs(run.runId, 'upgrade/started').expectedFound == ['Gateway started', 'Listening on port']
        Testbed.awaitOk("http://127.0.0.1:$port/hello").contains('"version":"v5.3.0"')
        Files.readString(config) == CONFIG
        Testbed.docker('inspect', '--format', '{{.Config.Image}} {{(index .HostConfig.PortBindings "8080/tcp" 0).HostPort}}',
                container).trim() == "${Testbed.image('tyk-gateway', '5.3.0')} $port"
    }

    def "a gateway that does not start is rolled back: stopped, config restored, previous started, its version checked"() {
        given:
        startGateway('5.3.0')

        when:
        def run = cli.run('run', OSS.toString(), '-e', env.toString(), '-p', 'version=5.3.1-broken')

        then:
        run.code == 3
        run.out.contains('failed at upgrade/started')
        cli.compensated(run.runId) == ['upgrade/gateway', 'backup/config', 'stop/gateway', 'preflight/current-version']
        Testbed.awaitOk("http://127.0.0.1:$port/hello").contains('"version":"v5.3.0"')
        Files.readString(config) == CONFIG
    }

    def "the hybrid gateway gets its secret and RPC credentials from secrets, and they appear in no log, journal or report"() {
        given:
        startGateway('5.2.5', [TYK_GW_SLAVEOPTIONS_USERPCRC        : 'true',
                               TYK_GW_SLAVEOPTIONS_CONNECTIONSTRING: 'control-plane.example:9091',
                               TYK_GW_SLAVEOPTIONS_RPCKEY          : 'old-org-id',
                               TYK_GW_SLAVEOPTIONS_APIKEY          : 'old-api-key'])
        Map<String, String> secrets = [LOCKSTEP_SECRET_TYK_GATEWAY_SECRET  : 'gw-secret-4f1c9e',
                                       LOCKSTEP_SECRET_TYK_RPC_CREDENTIALS : 'org-5e8a1b7d',
                                       LOCKSTEP_SECRET_TYK_API_CREDENTIALS : 'api-key-93d0c2']

        when:
        def run = cli.withEnvironment(secrets).run('run', HYBRID.toString(), '-e', env.toString(), '-p', 'version=5.3.0')

        then: 'success is judged from the log and the health check'
        run.code == 0
        cli.outputs(run.runId, 'upgrade/connected').expectedFound == ['Gateway started', 'Listening on port']
        Testbed.awaitOk("http://127.0.0.1:$port/hello").contains('"version":"v5.3.0"')

        and: 'the container has the new credentials'
        List<String> containerEnv = Testbed.docker('inspect', '--format', '{{range .Config.Env}}{{println .}}{{end}}', container).readLines()
        containerEnv.containsAll(['TYK_GW_SECRET=gw-secret-4f1c9e', 'TYK_GW_SLAVEOPTIONS_RPCKEY=org-5e8a1b7d',
                                  'TYK_GW_SLAVEOPTIONS_APIKEY=api-key-93d0c2', 'TYK_GW_SLAVEOPTIONS_USERPCRC=true'])

        and: 'no value, old or new, is in what the run printed, its journal or its report'
        List<String> values = secrets.values() + ['old-org-id', 'old-api-key']
        values.every { !run.out.contains(it) }
        String gatewayLog = Testbed.docker('logs', container)
        values.every { !gatewayLog.contains(it) }
        List<Path> written = Files.walk(dir.resolve('store')).withCloseable { s -> s.filter { Files.isRegularFile(it) }.toList() }
        List<Path> journalAndReports = written.findAll { !it.toString().endsWith('previous-container.json') }
        !journalAndReports.empty
        journalAndReports.every { Path f -> values.every { !Files.readString(f).contains(it) } }

        and: 'the old values stay only in the owner-only record the rollback needs'
        Path record = written.find { it.toString().endsWith('previous-container.json') }
        Files.readString(record).contains('old-org-id')
        Files.getPosixFilePermissions(record)*.name().sort() == ['OWNER_READ', 'OWNER_WRITE']
    }
}
