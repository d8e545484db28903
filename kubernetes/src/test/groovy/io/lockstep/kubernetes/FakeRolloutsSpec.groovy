package io.lockstep.kubernetes

import io.fabric8.kubernetes.api.model.apps.Deployment
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder
import io.fabric8.kubernetes.api.model.apps.StatefulSet
import io.fabric8.kubernetes.client.KubernetesClient
import spock.lang.AutoCleanup
import spock.lang.Specification
import spock.util.concurrent.PollingConditions

/** The stand-in controller the playbook specs rely on: pods and status follow the Deployment or StatefulSet. */
class FakeRolloutsSpec extends Specification {

    @AutoCleanup
    FakeKubeApi api = FakeKubeApi.start()

    def "a new image replaces the pods; a broken one leaves the rollout unavailable"() {
        given:
        def client = api.client('tyk')
        def logs = [:]
        def controller = new FakeRollouts(client, 'tyk')
        controller.logSink = { pod, text -> logs[pod] = text }
        def conditions = new PollingConditions(timeout: 10)

        when:
        client.apps().deployments().resource(deployment('tykio/portal:1.14.0')).create()

        then:
        conditions.eventually {
            Deployment d = client.apps().deployments().withName('portal').get()
            assert d.status?.availableReplicas == 1
            assert client.pods().withLabel('app', 'portal').list().items*.spec*.containers*.image.flatten() == ['tykio/portal:1.14.0']
        }

        when:
        client.apps().deployments().withName('portal').edit { d ->
            d.spec.template.spec.containers[0].image = 'tykio/portal:1.14.2-broken'
            d
        }

        then:
        conditions.eventually {
            Deployment d = client.apps().deployments().withName('portal').get()
            assert d.status.availableReplicas == 0
            assert d.status.conditions[0].reason == 'ProgressDeadlineExceeded'
            def pods = client.pods().withLabel('app', 'portal').list().items
            assert pods*.status*.containerStatuses*.state*.waiting*.reason.flatten() == ['CrashLoopBackOff']
            assert logs[pods[0].metadata.name].contains('failed to migrate database')
        }
        controller.started.size() == 2

        cleanup:
        controller?.close()
    }

    def "a statefulset's pods are replaced highest ordinal first; a broken one stops the rollout and stays until it is deleted"() {
        given:
        def client = api.client('tyk')
        def controller = new FakeRollouts(client, 'tyk')
        def conditions = new PollingConditions(timeout: 10)

        when:
        client.apps().statefulSets().resource(KubeRun.statefulSet('tyk-db', [db: 'postgres:15.5'])).create()

        then:
        conditions.eventually {
            assert status(client) == [observed: true, replicas: 2, ready: 2, available: 2, current: 2, updated: 2, revisionCurrent: true]
            assert images(client) == ['tyk-db-0': 'postgres:15.5', 'tyk-db-1': 'postgres:15.5']
        }

        when:
        String first = client.apps().statefulSets().withName('tyk-db').get().status.currentRevision
        setImage(client, 'postgres:15.6')

        then:
        conditions.eventually {
            assert status(client) == [observed: true, replicas: 2, ready: 2, available: 2, current: 2, updated: 2, revisionCurrent: true]
            assert images(client) == ['tyk-db-0': 'postgres:15.6', 'tyk-db-1': 'postgres:15.6']
        }
        client.apps().statefulSets().withName('tyk-db').get().status.currentRevision != first
        client.pods().withName('tyk-db-0').get().metadata.labels['controller-revision-hash'] ==
                client.apps().statefulSets().withName('tyk-db').get().status.updateRevision

        when: 'a broken image: the highest pod crash-loops and the rollout stops there'
        setImage(client, 'postgres:16-broken')

        then:
        conditions.eventually {
            assert status(client) == [observed: true, replicas: 2, ready: 1, available: 1, current: 1, updated: 1, revisionCurrent: false]
            assert images(client) == ['tyk-db-0': 'postgres:15.6', 'tyk-db-1': 'postgres:16-broken']
            assert client.pods().withName('tyk-db-1').get().status.containerStatuses[0].state.waiting.reason == 'CrashLoopBackOff'
        }

        when: 'the template is put back: the controller waits for the crash-looping pod, as a real one does'
        setImage(client, 'postgres:15.6')
        Thread.sleep(500)

        then:
        status(client) == [observed: true, replicas: 2, ready: 1, available: 1, current: 1, updated: 1, revisionCurrent: true]
        images(client) == ['tyk-db-0': 'postgres:15.6', 'tyk-db-1': 'postgres:16-broken']

        when: 'the crash-looping pod is deleted'
        client.pods().withName('tyk-db-1').delete()

        then:
        conditions.eventually {
            assert status(client) == [observed: true, replicas: 2, ready: 2, available: 2, current: 2, updated: 2, revisionCurrent: true]
            assert images(client) == ['tyk-db-0': 'postgres:15.6', 'tyk-db-1': 'postgres:15.6']
        }
        controller.started == ['tyk-db-0 postgres:15.5', 'tyk-db-1 postgres:15.5', 'tyk-db-1 postgres:15.6', 'tyk-db-0 postgres:15.6',
                               'tyk-db-1 postgres:16-broken', 'tyk-db-1 postgres:15.6']

        cleanup:
        controller?.close()
    }

    static Map<String, Object> status(KubernetesClient client) {
        StatefulSet s = client.apps().statefulSets().withName('tyk-db').get()
        def status = s.status
        [observed: status?.observedGeneration == s.metadata.generation, replicas: status?.replicas, ready: status?.readyReplicas,
         available: status?.availableReplicas, current: status?.currentReplicas, updated: status?.updatedReplicas,
         revisionCurrent: status?.currentRevision == status?.updateRevision]
    }

    static Map<String, String> images(KubernetesClient client) {
        client.pods().withLabel('app', 'tyk-db').list().items.sort { it.metadata.name }
                .collectEntries { [(it.metadata.name): it.spec.containers[0].image] }
    }

    static void setImage(KubernetesClient client, String image) {
        client.apps().statefulSets().withName('tyk-db').edit { StatefulSet s ->
            s.spec.template.spec.containers[0].image = image
            s
        }
    }

    static Deployment deployment(String image) {
        new DeploymentBuilder()
                .withNewMetadata().withName('portal').endMetadata()
                .withNewSpec().withReplicas(1)
                .withNewSelector().addToMatchLabels('app', 'portal').endSelector()
                .withNewTemplate().withNewMetadata().addToLabels('app', 'portal').endMetadata()
                .withNewSpec().addNewContainer().withName('portal').withImage(image).endContainer().endSpec()
                .endTemplate().endSpec().build()
    }
}
