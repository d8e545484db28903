package io.lockstep.playbooks.tyk

import io.fabric8.kubernetes.api.model.PodBuilder
import io.fabric8.kubernetes.client.KubernetesClient
import io.lockstep.kubernetes.ExecBridge
import io.lockstep.kubernetes.FakeKubeApi
import io.lockstep.kubernetes.FakeRollouts
import io.lockstep.kubernetes.HelmKubeApi
import io.lockstep.kubernetes.PodLogs

import java.nio.file.Path

/**
 * The cluster the Kubernetes playbook specs run against (README, "Kubernetes"): the fake API server
 * with the routes Helm needs, pod logs and exec, and FakeRollouts in namespace {@code tyk} playing
 * the Deployment controller and the kubelet. A pod named {@code tyk-postgres-0} stands for the
 * portal's database; exec into it runs in the testbed's hosts database container, so pg_dump and
 * psql are real.
 */
class KubeTestbed implements Closeable {

    static final String NAMESPACE = 'tyk'
    static final String DB_POD = 'tyk-postgres-0'

    final PodLogs logs = new PodLogs()
    final ExecBridge exec = new ExecBridge()
    final FakeKubeApi api
    final KubernetesClient kube
    final FakeRollouts rollouts
    final Path kubeconfig

    KubeTestbed(Path dir) {
        api = HelmKubeApi.start(logs, exec)
        kube = api.client(NAMESPACE)
        kubeconfig = api.writeKubeconfig(dir.resolve('kubeconfig'), 'fake', NAMESPACE)
        rollouts = new FakeRollouts(kube, NAMESPACE)
        rollouts.logSink = { String pod, String text -> logs.logs[pod] = text }
    }

    /** The database pod, its exec answered in the testbed's hosts database container. */
    KubeTestbed withDatabasePod() {
        kube.pods().resource(new PodBuilder()
                .withNewMetadata().withName(DB_POD).addToLabels('app', 'tyk-postgres').endMetadata()
                .withNewSpec().addNewContainer().withName('postgres').withImage('postgres:15').endContainer().endSpec()
                .withNewStatus().withPhase('Running').endStatus()
                .build()).create()
        exec.containers[DB_POD] = 'lockstep-hosts-db'
        this
    }

    /** The images of the Deployment's pod template. */
    List<String> images(String deployment) {
        kube.apps().deployments().withName(deployment).get().spec.template.spec.containers*.image
    }

    /** The images of the pods that exist now. */
    List<String> podImages(Map<String, String> labels) {
        kube.pods().withLabels(labels).list().items.collectMany { it.spec.containers*.image }
    }

    @Override
    void close() {
        rollouts.close()
        api.close()
    }
}
