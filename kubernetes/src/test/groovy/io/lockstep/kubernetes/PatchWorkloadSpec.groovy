package io.lockstep.kubernetes

import io.fabric8.kubernetes.api.model.apps.Deployment
import io.fabric8.kubernetes.api.model.apps.DeploymentSpec
import io.fabric8.kubernetes.client.KubernetesClient
import io.fabric8.kubernetes.client.utils.Serialization
import io.lockstep.engine.RunStatus
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Path

/** patchWorkload: the patch, the recorded spec, and the undo that refuses over a later change. */
class PatchWorkloadSpec extends Specification {

    @TempDir
    Path dir

    FakeKubeApi api
    KubernetesClient kube
    KubeRun run
    String kubeconfig

    def setup() {
        api = FakeKubeApi.start()
        kube = api.client('tyk')
        kubeconfig = api.writeKubeconfig(dir.resolve('kubeconfig'), 'fake', 'tyk').toString()
        run = new KubeRun(dir)
        kube.resource(KubeRun.deployment('tyk-dev-portal', ['tyk-portal': 'tykio/portal:1.13.0'])).create()
    }

    def cleanup() {
        api?.close()
    }

    def patch() {
        KubeRun.step('patchWorkload', 'upgrade/patch', [kubeconfig: kubeconfig, name: 'tyk-dev-portal', type: 'merge',
                                                       patch: [spec: [replicas: 3, minReadySeconds: 10]]])
    }

    Deployment portal() {
        kube.apps().deployments().withName('tyk-dev-portal').get()
    }

    def "the patch applies, the spec before is recorded, and the rollback puts it back"() {
        given:
        Integer during = null

        expect:
        patch().description() == 'patch deployment tyk-dev-portal (merge patch)'

        when:
        def result = run.run(patch(), KubeRun.doing('look', { during = portal().spec.replicas }), KubeRun.failing())

        then:
        during == 3
        result.status() == RunStatus.ROLLED_BACK
        Serialization.unmarshal(result.outputs()['upgrade/patch'].previousSpec as String, DeploymentSpec).replicas == 2
        Serialization.unmarshal(result.outputs()['upgrade/patch'].spec as String, DeploymentSpec).minReadySeconds == 10
        run.trace().findAll { it.startsWith('COMPENSATION') } == ['COMPENSATION_STARTED upgrade/patch', 'COMPENSATION_FINISHED upgrade/patch']
        portal().spec.replicas == 2
        portal().spec.minReadySeconds == null
    }

    def "the undo refuses a spec changed after the patch"() {
        when:
        def result = run.run(patch(), KubeRun.doing('someone-else', {
            kube.apps().deployments().withName('tyk-dev-portal').edit { Deployment d -> d.spec.replicas = 7; d }
        }), KubeRun.failing())

        then:
        result.status() == RunStatus.COMPENSATION_FAILED
        result.message().contains("refusing to put the previous spec of deployment tyk-dev-portal (namespace tyk) back: its spec was changed after step 'upgrade/patch' patched it")
        portal().spec.replicas == 7
    }
}
