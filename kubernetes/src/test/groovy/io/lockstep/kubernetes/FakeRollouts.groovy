package io.lockstep.kubernetes

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder
import io.fabric8.kubernetes.api.model.Pod
import io.fabric8.kubernetes.api.model.PodBuilder
import io.fabric8.kubernetes.api.model.PodSpec
import io.fabric8.kubernetes.api.model.apps.Deployment
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder
import io.fabric8.kubernetes.api.model.apps.StatefulSet
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus
import io.fabric8.kubernetes.client.KubernetesClient

import java.util.concurrent.ConcurrentHashMap
import java.util.function.BiConsumer
import java.util.function.Consumer
import java.util.function.Function

/**
 * Plays the Deployment and StatefulSet controllers and the kubelet for the playbook specs, since
 * nothing on FakeKubeApi runs pods: when a Deployment's pod template or replica count changes, it
 * replaces the Deployment's pods with pods of the new template and writes the status a controller
 * would; a StatefulSet's pods are created, deleted and replaced one ordinal at a time ({@link
 * #sync}).
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

    /** One pass over the namespace's Deployments and StatefulSets. */
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
        client.apps().statefulSets().inNamespace(namespace).list().items.each { StatefulSet s -> sync(s) }
    }

    /**
     * The StatefulSet controller's sync, run on every pass (it watches the pods too), with the
     * default RollingUpdate strategy. Pods are {@code <name>-0}, {@code <name>-1}..., each labelled
     * with the revision of the template it was made from. Missing pods are created in ordinal
     * order, surplus ones deleted highest first, and pods of an older revision replaced highest
     * first, one at a time. As with the default OrderedReady pod management, the sync stops at the
     * first pod that is not ready, before it deletes or replaces anything: a crash-looping pod stays
     * even after the template is put back, as on a real cluster, until someone deletes it
     * (Kubernetes' "forced rollback").
     */
    private void sync(StatefulSet s) {
        String name = s.metadata.name
        String updateRevision = "${name}-${Integer.toHexString(s.spec.template.toString().hashCode() & 0xfffffff)}".toString()
        Map<Integer, Pod> pods = new TreeMap<>()
        client.pods().inNamespace(namespace).withLabels(s.spec.selector.matchLabels).list().items.each { Pod pod ->
            def ordinal = pod.metadata.name =~ /^${java.util.regex.Pattern.quote(name)}-(\d+)$/
            if (ordinal.matches()) {
                pods[ordinal.group(1) as int] = pod
            }
        }
        syncPods(s, pods, updateRevision)
        writeStatus(s, pods.values(), updateRevision)
    }

    /** Creates, deletes and replaces pods until one that is not ready stops it. */
    private void syncPods(StatefulSet s, Map<Integer, Pod> pods, String updateRevision) {
        int replicas = s.spec.replicas == null ? 1 : s.spec.replicas
        for (int i = 0; i < replicas; i++) {
            if (pods[i] == null) {
                pods[i] = startMember(s, i, updateRevision)
            }
            if (!ready(pods[i])) {
                return
            }
        }
        for (int i : pods.keySet().findAll { it >= replicas }.toList().reverse()) {
            if (!pods.values().every { ready(it) }) {
                return
            }
            deleteMember(pods, i)
        }
        for (int i = replicas - 1; i >= 0; i--) {
            if (revision(pods[i]) != updateRevision) {
                deleteMember(pods, i)
                pods[i] = startMember(s, i, updateRevision)
            }
            if (!ready(pods[i])) {
                return
            }
        }
    }

    private Pod startMember(StatefulSet s, int ordinal, String revision) {
        String podName = "${s.metadata.name}-${ordinal}".toString()
        Map<String, String> labels = (s.spec.template.metadata?.labels ?: [:]) +
                ['controller-revision-hash': revision, 'statefulset.kubernetes.io/pod-name': podName]
        startPod(podName, labels, s.spec.template.spec)
        client.pods().inNamespace(namespace).withName(podName).get()
    }

    private void deleteMember(Map<Integer, Pod> pods, int ordinal) {
        client.pods().inNamespace(namespace).withName(pods.remove(ordinal).metadata.name).delete()
    }

    private static boolean ready(Pod pod) {
        pod.status?.containerStatuses && pod.status.containerStatuses.every { it.ready }
    }

    private static String revision(Pod pod) {
        pod.metadata.labels['controller-revision-hash']
    }

    /**
     * The status the StatefulSet controller writes: counts of the pods as they are, and the current
     * revision moved to the update revision once every pod is updated and ready.
     */
    private void writeStatus(StatefulSet s, Collection<Pod> pods, String updateRevision) {
        StatefulSet current = client.apps().statefulSets().inNamespace(namespace).withName(s.metadata.name).get()
        if (current == null) {
            return
        }
        String currentRevision = current.status?.currentRevision ?: updateRevision
        int updated = pods.count { revision(it) == updateRevision }
        int readyPods = pods.count { ready(it) }
        StatefulSetStatus status = new StatefulSetStatus(observedGeneration: s.metadata.generation,
                replicas: pods.size(), readyReplicas: readyPods, availableReplicas: readyPods,
                currentReplicas: pods.count { revision(it) == currentRevision },
                updatedReplicas: updated, currentRevision: currentRevision, updateRevision: updateRevision, collisionCount: 0)
        if (updated == pods.size() && readyPods == pods.size()) {
            status.currentRevision = updateRevision
            status.currentReplicas = updated
        }
        if (status != current.status) {
            current.status = status
            client.apps().statefulSets().inNamespace(namespace).resource(current).updateStatus()
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
            if (startPod("${name}-${hash}-${i}".toString(), labels, d.spec.template.spec)) {
                ready++
            }
        }
        writeStatus(d, replicas, ready)
    }

    /**
     * Creates a pod of {@code spec} as the kubelet would leave it: running and ready, or
     * crash-looping, as {@link #behaviour} says of its images. Returns whether it is ready.
     */
    private boolean startPod(String podName, Map<String, String> labels, PodSpec spec) {
        spec.containers.each { onStart.accept(it.image) }
        Pod pod = new PodBuilder()
                .withNewMetadata().withName(podName).withNamespace(namespace).withLabels(labels).endMetadata()
                .withSpec(spec)
                .withNewStatus().withPhase('Running')
                .withContainerStatuses(spec.containers.collect { c ->
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
        spec.containers.each { logSink.accept(podName, behaviour.apply(it.image).log) }
        started << "${podName} ${spec.containers*.image.join(',')}".toString()
        spec.containers.every { behaviour.apply(it.image).ready }
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
