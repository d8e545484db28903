package io.lockstep.kubernetes

import io.fabric8.kubernetes.api.model.PodBuilder
import io.fabric8.kubernetes.api.model.apps.Deployment
import io.lockstep.engine.RunStatus

import java.time.Duration

/** scaleWorkload as the seed's rollback uses it: to zero and back, waiting for the pods each time. */
class ScaleWorkloadSpec extends KubeRunSpecification {

    FakeController controller

    def setup() {
        kube.resource(KubeRun.deployment('tyk-dev-portal', ['portal': 'tykio/portal:1.13.0'])).create()
        kube.pods().resource(new PodBuilder().withNewMetadata().withName('tyk-dev-portal-1').addToLabels('app', 'tyk-dev-portal')
                .endMetadata().withNewSpec().addNewContainer().withName('portal').withImage('x').endContainer().endSpec().build()).create()
    }

    def cleanup() {
        controller?.close()
    }

    def scale(int replicas, Duration timeout = Duration.ofMinutes(1)) {
        KubeRun.step('scaleWorkload', 'stop-portal', [kubeconfig: kubeconfig, name: 'tyk-dev-portal', replicas: replicas,
                                                     timeout: timeout, interval: Duration.ofMillis(100)])
    }

    def "scaled to zero once its pods are gone, and back to the previous count on rollback"() {
        given: 'a controller that removes the pods of a deployment scaled to zero'
        List<Integer> seen = [].asSynchronized()
        controller = new FakeController(kube, 'tyk-dev-portal', { Deployment d ->
            seen << d.spec.replicas
            if (d.spec.replicas == 0) {
                kube.pods().withLabel('app', 'tyk-dev-portal').delete()
            }
            FakeController.rolledOut(d)
        })
        int podsDuringRun = -1

        expect:
        scale(0).description() == 'scale deployment tyk-dev-portal to 0 replicas and wait up to 1m'
        scale(0).compensation().description() == 'scale deployment tyk-dev-portal back to its previous replica count'

        when:
        def result = run.run(scale(0), KubeRun.doing('backup', { podsDuringRun = kube.pods().list().items.size() }), KubeRun.failing())

        then:
        podsDuringRun == 0
        result.status() == RunStatus.ROLLED_BACK
        result.outputs()['stop-portal'] == [kind: 'deployment', name: 'tyk-dev-portal', namespace: 'tyk', replicas: 0, previousReplicas: 2]
        run.trace().findAll { it.startsWith('COMPENSATION') } == ['COMPENSATION_STARTED stop-portal', 'COMPENSATION_FINISHED stop-portal']
        kube.apps().deployments().withName('tyk-dev-portal').get().spec.replicas == 2
        kube.apps().deployments().withName('tyk-dev-portal').get().status.readyReplicas == 2
    }

    def "pods that do not go away fail the step with how many are left"() {
        given: 'the status says zero, but a pod lingers (a finalizer, a stuck node)'
        controller = new FakeController(kube, 'tyk-dev-portal', { Deployment d -> FakeController.rolledOut(d) })

        when:
        def result = run.run(scale(0, Duration.ofSeconds(1)))

        then:
        result.error() == 'deployment tyk-dev-portal (namespace tyk) did not reach 0 replicas in 1s: 1 pod still running; ' +
                'look at its pods (kubectl get pods -n tyk) or raise timeout'
    }
}
