package io.lockstep.playbooks.tyk

import spock.lang.AutoCleanup
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path

/**
 * playbooks/tyk-gateway/kubernetes-manifest.groovy and kubernetes-helm.groovy through the CLI on the
 * fake API server (README, "Kubernetes"): the image line of the OSS gateway's manifest edited and
 * the manifests applied as `kubectl apply -f .`, and the tyk-oss release upgraded with Helm's real
 * upgrade. A gateway image whose tag contains `broken` crashes, so the rollout fails and the
 * playbook rolls back.
 */
class GatewayKubernetesPlaybookSpec extends Specification {

    static final Path MANIFEST_PLAYBOOK = Path.of('tyk-gateway/kubernetes-manifest.groovy').toAbsolutePath()
    static final Path HELM_PLAYBOOK = Path.of('tyk-gateway/kubernetes-helm.groovy').toAbsolutePath()
    static final Path MANIFEST = Path.of('tyk-gateway/kubernetes/gateway.yaml').toAbsolutePath()
    static final Path CHARTS = Path.of('../src/testbed/charts').toAbsolutePath().normalize()
    static final Map<String, String> GATEWAY = [app: 'tyk-gtw']
    static final Map<String, String> HELM_GATEWAY = [app: 'gateway-tyk-oss']

    @TempDir
    Path dir

    @AutoCleanup
    KubeTestbed cluster

    CliRunner cli
    Path manifests

    def setup() {
        cluster = new KubeTestbed(dir)
        cli = new CliRunner(dir.resolve('store'))
        manifests = Files.createDirectories(dir.resolve('manifests'))
        Files.copy(MANIFEST, manifests.resolve('gateway.yaml'))
    }

    def "the manifest's image line is set and the manifests applied as kubectl apply does; the gateways roll out on the new image"() {
        given:
        deployFromManifests()
        String before = Files.readString(manifests.resolve('gateway.yaml'))

        when:
        def run = cli.run('run', MANIFEST_PLAYBOOK.toString(), '-e', environment().toString(), '-p', 'version=5.3.0')

        then:
        run.code == 0
        cli.finished(run.runId) == ['preflight/current', 'manifest/gateway-image', 'upgrade/gateway', 'upgrade/rollout',
                                    'verify/gateway-log']
        Files.readString(manifests.resolve('gateway.yaml')) == before.replace('"tykio/tyk-gateway:v5.2.0"', '"tykio/tyk-gateway:v5.3.0"')
        cli.outputs(run.runId, 'upgrade/gateway').objects == ['configmap/tyk-gateway-conf unchanged', 'deployment.apps/tyk-gtw configured',
                                                              'service/tyk-svc unchanged', 'deployment.apps/redis unchanged', 'service/redis unchanged']
        cluster.images('tyk-gtw') == ['tykio/tyk-gateway:v5.3.0']
        cluster.podImages(GATEWAY) == ['tykio/tyk-gateway:v5.3.0'] * 2
    }

    def "a gateway that crashes is rolled back: the objects and the manifest file as they were"() {
        given:
        deployFromManifests()
        String before = Files.readString(manifests.resolve('gateway.yaml'))

        when:
        def run = cli.run('run', MANIFEST_PLAYBOOK.toString(), '-e', environment().toString(), '-p', 'version=5.3.0-broken')

        then:
        run.code == 3
        run.out.contains('failed at upgrade/rollout')
        run.out.contains('CrashLoopBackOff')
        cli.compensated(run.runId) == ['upgrade/gateway', 'manifest/gateway-image', 'preflight/current']

        and:
        cluster.images('tyk-gtw') == ['tykio/tyk-gateway:v5.2.0']
        cluster.podImages(GATEWAY) == ['tykio/tyk-gateway:v5.2.0'] * 2
        Files.readString(manifests.resolve('gateway.yaml')) == before
    }

    def "helm: the tyk-oss release is upgraded to the new gateway tag, and a crashing one is upgraded back"() {
        given:
        installChart('v5.2.0')

        when:
        def up = cli.run('run', HELM_PLAYBOOK.toString(), '-e', environment().toString(), '-p', 'version=5.3.0')

        then:
        up.code == 0
        cli.finished(up.runId) == ['preflight/current', 'upgrade/release', 'upgrade/rollout', 'verify/gateway-log']
        cli.outputs(up.runId, 'upgrade/release').revision == 2
        cluster.podImages(HELM_GATEWAY) == ['tykio/tyk-gateway:v5.3.0']

        when:
        def broken = cli.run('run', HELM_PLAYBOOK.toString(), '-e', environment().toString(), '-p', 'version=5.3.1-broken')

        then:
        broken.code == 3
        cli.compensated(broken.runId) == ['upgrade/release', 'preflight/current']
        cli.outputs(broken.runId, 'upgrade/release').previousRevision == 2
        cluster.images('gateway-tyk-oss-tyk-gateway') == ['tykio/tyk-gateway:v5.3.0']
        cluster.podImages(HELM_GATEWAY) == ['tykio/tyk-gateway:v5.3.0']
    }

    /** The gateway as an operator first deployed it: its manifests applied by a one-step playbook. */
    private void deployFromManifests() {
        runOnce("applyManifest 'manifests', file: '${manifests}'")
        awaitPods(GATEWAY, 2)
    }

    private void installChart(String tag) {
        runOnce("helmUpgrade 'release', release: 'tyk-oss', chart: '${CHARTS.resolve('tyk-oss')}', install: true, " +
                "set: ['tyk-gateway.gateway.image.tag': '${tag}']")
        awaitPods(HELM_GATEWAY, 1)
    }

    private void runOnce(String step) {
        Path playbook = dir.resolve('deploy.groovy')
        Files.writeString(playbook, """\
            playbook('deploy') {
                phase('deploy', on: target('cluster')) {
                    ${step}
                }
            }""".stripIndent())
        def run = cli.run('run', playbook.toString(), '-e', environment().toString())
        assert run.code == 0: run.out
    }

    private void awaitPods(Map<String, String> labels, int count) {
        long until = System.currentTimeMillis() + 10_000
        while (cluster.podImages(labels).size() != count) {
            assert System.currentTimeMillis() < until: "no ${count} pods ${labels}"
            sleep(50)
        }
    }

    private Path environment() {
        Path env = dir.resolve('fake-cluster.groovy')
        Files.writeString(env, """\
            environment('e2e-gateway') {
                inherits '${MANIFEST_PLAYBOOK.resolveSibling('env/fake-cluster.groovy')}'
                vars {
                    manifestDir = '${manifests}'
                    helmChart = '${CHARTS.resolve('tyk-oss')}'
                }
                targets {
                    target 'cluster', roles: ['kubernetes'], kubeconfig: '${cluster.kubeconfig}', context: 'fake', namespace: 'tyk'
                }
            }""".stripIndent())
        env
    }
}
