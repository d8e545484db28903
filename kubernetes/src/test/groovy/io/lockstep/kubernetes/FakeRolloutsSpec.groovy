package io.lockstep.kubernetes

import io.fabric8.kubernetes.api.model.apps.Deployment
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder
import spock.lang.AutoCleanup
import spock.lang.Specification
import spock.util.concurrent.PollingConditions

/** The stand-in controller the playbook specs rely on: pods and status follow the Deployment. */
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
