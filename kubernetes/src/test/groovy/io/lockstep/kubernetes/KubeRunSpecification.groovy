package io.lockstep.kubernetes

import io.fabric8.kubernetes.client.KubernetesClient
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Path

/**
 * What a spec running Kubernetes steps through the engine starts from: a fake API server (with the
 * spec's {@link #routes}), a client
 * in namespace tyk, a kubeconfig whose context {@code fake} points there, and a {@link KubeRun}.
 */
abstract class KubeRunSpecification extends Specification {

    @TempDir
    Path dir

    FakeKubeApi api
    KubernetesClient kube
    KubeRun run
    String kubeconfig

    /** The routes a spec puts in front of the store (pod logs, exec); none by default. */
    List<FakeKubeApi.Route> routes() {
        []
    }

    def setup() {
        api = FakeKubeApi.start(*routes())
        kube = api.client('tyk')
        kubeconfig = api.writeKubeconfig(dir.resolve('kubeconfig'), 'fake', 'tyk').toString()
        run = new KubeRun(dir)
    }

    def cleanup() {
        api?.close()
    }
}
