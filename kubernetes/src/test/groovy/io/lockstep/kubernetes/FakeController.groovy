package io.lockstep.kubernetes

import io.fabric8.kubernetes.api.model.apps.Deployment
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus
import io.fabric8.kubernetes.client.KubernetesClient

/**
 * Stands in for the deployment controller, which the fake API server lacks: every 50 ms it writes the
 * status {@code react} returns for the deployment as it is now (or nothing when it returns null).
 */
class FakeController implements Closeable {

    private final Thread thread
    private volatile boolean running = true
    final List<Throwable> errors = [].asSynchronized()

    FakeController(KubernetesClient kube, String name, Closure<DeploymentStatus> react) {
        thread = Thread.start("fake-controller-$name") {
            while (running) {
                try {
                    Deployment current = kube.apps().deployments().withName(name).get()
                    DeploymentStatus status = current == null ? null : react(current)
                    if (status != null && status != current.status) {
                        kube.apps().deployments().withName(name).editStatus { Deployment d -> d.status = status; d }
                    }
                } catch (Throwable e) {
                    errors << e
                }
                Thread.sleep(50)
            }
        }
    }

    /** The status of a finished rollout of {@code d} as it is now. */
    static DeploymentStatus rolledOut(Deployment d) {
        int n = d.spec.replicas
        new DeploymentStatus(observedGeneration: d.metadata.generation, replicas: n, updatedReplicas: n,
                readyReplicas: n, availableReplicas: n)
    }

    @Override
    void close() {
        running = false
        thread.join(2000)
    }
}
