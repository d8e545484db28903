package io.lockstep.kubernetes

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder
import io.fabric8.kubernetes.api.model.Pod
import io.fabric8.kubernetes.api.model.PodBuilder
import io.fabric8.kubernetes.api.model.apps.Deployment
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder
import io.fabric8.kubernetes.client.KubernetesClient

import java.util.concurrent.ConcurrentHashMap
import java.util.function.BiConsumer
import java.util.function.Consumer
import java.util.function.Function

/**
 * Plays the Deployment controller and the kubelet for the playbook specs, since nothing on
 * FakeKubeApi runs pods: when a Deployment's pod template or replica count changes, it replaces
 * the Deployment's pods with pods of the new template and writes the status a controller would.
 * {@link #behaviour} decides, per image, whether a pod becomes ready or crashes, and what it logs.
 *
 * <p>It polls every 100 ms. Images whose tag contains {@code broken} crash by default, with the
 * migration error of the troubleshooting guide in their log.
 */
class FakeRollouts implements Closeable {

    /** What a pod of an image does: become ready or not, and the log lines it writes. */
    static final class Behaviour {
        final boolean ready
        final String log

        Behaviour(boolean ready, String log) {
            this.ready = ready
            this.log = log
        }
    }

    static final Function<String, Behaviour> DEFAULT = { String image ->
        image.contains('broken')
                ? new Behaviour(false, 'level=info msg="AutoMigrate starting"\n'
                + 'level=error msg="failed to migrate database: column \\"plan_id\\" does not exist"\n')
                : new Behaviour(true, "level=info msg=\"AutoMigrate finished\"\nlevel=info msg=\"started ${image}\"\n")
    } as Function<String, Behaviour>

    final KubernetesClient client
    final String namespace
    Function<String, Behaviour> behaviour = DEFAULT
    /** Receives each new pod's name and log text, for the pod-log route. */
    BiConsumer<String, String> logSink = { String pod, String text -> } as BiConsumer<String, String>
    /** Called with a pod's image as it starts, before the pod exists: a spec's stand-in for what it does. */
    Consumer<String> onStart = { String image -> } as Consumer<String>
    /** Every pod this controller started, in order: {@code name image}. */
    final List<String> started = Collections.synchronizedList([])

    private final Map<String, String> applied = new ConcurrentHashMap<>()
    private final Thread loop
    private volatile boolean running = true

    FakeRollouts(KubernetesClient client, String namespace) {
        this.client = client
        this.namespace = namespace
        this.loop = Thread.startDaemon('fake-rollouts') {
            while (running) {
                try {
                    reconcile()
                } catch (Exception ignored) {
                    // The spec may be tearing the API down; the next pass tries again.
                }
                sleep(100)
            }
        }
    }

    /** One pass over the namespace's Deployments. */
    synchronized void reconcile() {
        client.apps().deployments().inNamespace(namespace).list().items.each { Deployment d ->
            String name = d.metadata.name
            int replicas = d.spec.replicas == null ? 1 : d.spec.replicas
            String template = d.spec.template.toString()
            String wanted = "${replicas}|${template}".toString()
            if (applied[name] == wanted) {
                return
            }
            applied[name] = wanted
            replacePods(d, replicas)
        }
    }

    private void replacePods(Deployment d, int replicas) {
        String name = d.metadata.name
        Map<String, String> labels = d.spec.template.metadata?.labels ?: [:]
        client.pods().inNamespace(namespace).withLabels(labels).list().items.each {
            client.pods().inNamespace(namespace).withName(it.metadata.name).delete()
        }
        String hash = Integer.toHexString(d.spec.template.toString().hashCode() & 0xfffffff)
        int ready = 0
        (0..<replicas).each { int i ->
            String podName = "${name}-${hash}-${i}".toString()
            d.spec.template.spec.containers.each { onStart.accept(it.image) }
            boolean podReady = d.spec.template.spec.containers.every { behaviour.apply(it.image).ready }
            Pod pod = new PodBuilder()
                    .withNewMetadata().withName(podName).withNamespace(namespace).withLabels(labels).endMetadata()
                    .withSpec(d.spec.template.spec)
                    .withNewStatus().withPhase('Running')
                    .withContainerStatuses(d.spec.template.spec.containers.collect { c ->
                        Behaviour b = behaviour.apply(c.image)
                        def status = new ContainerStatusBuilder().withName(c.name).withImage(c.image).withReady(b.ready)
                        if (b.ready) {
                            status.withNewState().withNewRunning().withStartedAt('2026-11-24T00:00:00Z').endRunning().endState()
                        } else {
                            status.withRestartCount(3)
                                    .withNewState().withNewWaiting().withReason('CrashLoopBackOff')
                                    .withMessage("back-off 40s restarting failed container=${c.name} pod=${podName}".toString())
                                    .endWaiting().endState()
                                    .withNewLastState().withNewTerminated().withExitCode(1).withReason('Error').endTerminated().endLastState()
                        }
                        status.build()
                    }).endStatus()
                    .build()
            client.pods().inNamespace(namespace).resource(pod).create()
            d.spec.template.spec.containers.each { logSink.accept(podName, behaviour.apply(it.image).log) }
            started << "${podName} ${d.spec.template.spec.containers*.image.join(',')}".toString()
            if (podReady) {
                ready++
            }
        }
        writeStatus(d, replicas, ready)
    }

    private void writeStatus(Deployment d, int replicas, int ready) {
        Deployment current = client.apps().deployments().inNamespace(namespace).withName(d.metadata.name).get()
        if (current == null) {
            return
        }
        DeploymentCondition progressing = new DeploymentConditionBuilder()
                .withType('Progressing')
                .withStatus(ready == replicas ? 'True' : 'False')
                .withReason(ready == replicas ? 'NewReplicaSetAvailable' : 'ProgressDeadlineExceeded')
                .withMessage(ready == replicas
                        ? "ReplicaSet \"${d.metadata.name}\" has successfully progressed.".toString()
                        : "ReplicaSet \"${d.metadata.name}\" has timed out progressing.".toString())
                .build()
        current.status = current.status ?: new io.fabric8.kubernetes.api.model.apps.DeploymentStatus()
        current.status.observedGeneration = current.metadata.generation
        current.status.replicas = replicas
        current.status.updatedReplicas = replicas
        current.status.readyReplicas = ready
        current.status.availableReplicas = ready
        current.status.unavailableReplicas = replicas - ready
        current.status.conditions = [progressing]
        client.apps().deployments().inNamespace(namespace).resource(current).updateStatus()
    }

    @Override
    void close() {
        running = false
        loop.join(2000)
    }
}
