package io.lockstep.kubernetes

import io.fabric8.kubernetes.api.model.Pod
import io.fabric8.kubernetes.api.model.PodBuilder
import io.fabric8.kubernetes.api.model.apps.Deployment
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus
import io.lockstep.engine.RunStatus

import java.time.Duration

/**
 * waitRollout after setWorkloadImage, with a fake controller writing the status a real one would: a
 * rollout that finishes, one stuck on an image pull, one the controller gave up on.
 */
class WaitRolloutSpec extends KubeRunSpecification {

    FakeController controller

    def setup() {
        kube.resource(KubeRun.deployment('tyk-dev-portal', ['portal': 'tykio/portal:1.13.0'])).create()
    }

    def cleanup() {
        controller?.close()
    }

    def steps(String image, Duration timeout) {
        [KubeRun.step('setWorkloadImage', 'upgrade/set-image', [kubeconfig: kubeconfig, name: 'tyk-dev-portal', image: image]),
         KubeRun.step('waitRollout', 'upgrade/rollout', [kubeconfig: kubeconfig, name: 'tyk-dev-portal', timeout: timeout,
                                                        interval: Duration.ofMillis(100)])]
    }

    static String image(Deployment d) {
        d.spec.template.spec.containers[0].image
    }

    void pod(String name, Map containerStatus) {
        Pod pod = new PodBuilder().withNewMetadata().withName(name).addToLabels('app', 'tyk-dev-portal').endMetadata()
                .withNewSpec().addNewContainer().withName('portal').withImage('x').endContainer().endSpec().build()
        pod = kube.pods().resource(pod).create()
        kube.pods().withName(name).editStatus { Pod p ->
            p.status = new io.fabric8.kubernetes.api.model.PodStatus(phase: 'Pending',
                    containerStatuses: [new io.fabric8.kubernetes.api.model.ContainerStatus(containerStatus + [name: 'portal'])])
            p
        }
    }

    def "the step waits until the controller reports every replica updated and available"() {
        given: 'a controller that rolls out only the new image, so the wait must see the change'
        controller = new FakeController(kube, 'tyk-dev-portal', { Deployment d ->
            image(d) == 'tykio/portal:1.14.1' ? FakeController.rolledOut(d) : null
        })

        expect:
        steps('tykio/portal:1.14.1', Duration.ofMinutes(1))[1].description() ==
                'wait up to 1m for deployment tyk-dev-portal to roll out'

        when:
        def result = run.run(*steps('tykio/portal:1.14.1', Duration.ofMinutes(1)))

        then:
        result.status() == RunStatus.SUCCEEDED
        result.outputs()['upgrade/rollout'] == [replicas: 2, updatedReplicas: 2, readyReplicas: 2, availableReplicas: 2]
        kube.apps().deployments().withName('tyk-dev-portal').get().status.observedGeneration ==
                result.outputs()['upgrade/set-image'].generation
        controller.errors.isEmpty()
    }

    def "a pull back-off until the timeout fails with the pod's reason, and the image is put back"() {
        given:
        pod('tyk-dev-portal-7c9f-abcde', [state: [waiting: [reason: 'ImagePullBackOff', message: 'Back-off pulling image "tykio/portal:9.9"']]])
        controller = new FakeController(kube, 'tyk-dev-portal', { Deployment d ->
            image(d) == 'tykio/portal:9.9'
                    ? new DeploymentStatus(observedGeneration: d.metadata.generation, replicas: 3, updatedReplicas: 1,
                    readyReplicas: 2, availableReplicas: 2)
                    : null
        })

        when:
        def result = run.run(*steps('tykio/portal:9.9', Duration.ofSeconds(1)))

        then:
        result.status() == RunStatus.ROLLED_BACK
        result.failedStep() == 'upgrade/rollout'
        result.error() == 'deployment tyk-dev-portal (namespace tyk) did not roll out in 1s: 1 of 2 replicas updated, ' +
                '2 ready, 2 available, 1 old still running; ' +
                'pod tyk-dev-portal-7c9f-abcde: container portal waiting: ImagePullBackOff (Back-off pulling image "tykio/portal:9.9")'
        run.trace().findAll { it.startsWith('COMPENSATION_STARTED') } == ['COMPENSATION_STARTED upgrade/set-image']
        image(kube.apps().deployments().withName('tyk-dev-portal').get()) == 'tykio/portal:1.13.0'
    }

    def "a deployment past its progress deadline fails at once with the condition and the crash loop"() {
        given:
        pod('tyk-dev-portal-7c9f-fghij', [state: [waiting: [reason: 'CrashLoopBackOff', message: 'back-off 5m0s restarting failed container']],
                                        lastState: [terminated: [exitCode: 137, reason: 'Error']]])
        controller = new FakeController(kube, 'tyk-dev-portal', { Deployment d ->
            image(d) == 'tykio/portal:1.14.1'
                    ? new DeploymentStatus(observedGeneration: d.metadata.generation, replicas: 2, updatedReplicas: 1,
                    readyReplicas: 0, availableReplicas: 0, conditions: [new DeploymentCondition(type: 'Progressing', status: 'False',
                    reason: 'ProgressDeadlineExceeded', message: 'ReplicaSet "tyk-dev-portal-7c9f" has timed out progressing.')])
                    : null
        })

        when: 'the timeout is far away: the condition, not the clock, ends the wait'
        def result = run.run(*steps('tykio/portal:1.14.1', Duration.ofMinutes(10)))

        then:
        result.status() == RunStatus.ROLLED_BACK
        result.error() == 'deployment tyk-dev-portal (namespace tyk) did not roll out: ProgressDeadlineExceeded ' +
                '(ReplicaSet "tyk-dev-portal-7c9f" has timed out progressing.); 1 of 2 replicas updated, 0 ready, 0 available; ' +
                'pod tyk-dev-portal-7c9f-fghij: container portal waiting: CrashLoopBackOff (back-off 5m0s restarting failed container), last exit code 137'
    }

    def "a cancelled step stops waiting"() {
        given: 'a rollout that never finishes, and a step that may wait ten minutes'
        def ctx = new io.lockstep.testing.TestStepContext(dir)
        ctx.stepId = 'upgrade/rollout'
        def wait = KubeRun.step('waitRollout', 'upgrade/rollout', [kubeconfig: kubeconfig, name: 'tyk-dev-portal',
                                                                   timeout: Duration.ofMinutes(10), interval: Duration.ofMillis(100)])
        Thread.start { Thread.sleep(300); ctx.cancel('the run was stopped') }

        when:
        wait.action().execute(ctx)

        then:
        java.util.concurrent.CancellationException e = thrown()
        e.message == 'the run was stopped'

        cleanup:
        ctx.close()
    }
}
