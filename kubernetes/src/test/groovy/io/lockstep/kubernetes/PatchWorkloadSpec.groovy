package io.lockstep.kubernetes

import io.fabric8.kubernetes.api.model.Quantity
import io.fabric8.kubernetes.api.model.apps.Deployment
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder
import io.fabric8.kubernetes.api.model.apps.DeploymentSpec
import io.fabric8.kubernetes.client.utils.Serialization
import io.lockstep.engine.RunStatus

/**
 * patchWorkload: the patch (a JSON merge patch, and the default strategic merge patch applied by
 * {@link StrategicMergeRoute} as the API server would), the recorded spec, and the undo that
 * refuses over a later change.
 */
class PatchWorkloadSpec extends KubeRunSpecification {

    def setup() {
        kube.resource(KubeRun.deployment('tyk-dev-portal', ['tyk-portal': 'tykio/portal:1.13.0'])).create()
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

    def "a strategic patch changes one container's env and resources, leaves the other container alone, and the rollback restores the spec exactly"() {
        given: 'strategic merge patches applied as the API server does, and a portal with a sidecar'
        api.routes.add(new StrategicMergeRoute())
        kube.resource(new DeploymentBuilder(KubeRun.deployment('tyk-gtw', ['gateway': 'tykio/tyk-gateway:v5.3.0', 'exporter': 'prom/statsd-exporter:v0.26.0']))
                .editSpec().editTemplate().editSpec()
                .editMatchingContainer({ it.name == 'gateway' })
                .addNewEnv().withName('TYK_GW_LISTENPORT').withValue('8080').endEnv()
                .addNewEnv().withName('TYK_LOGLEVEL').withValue('info').endEnv()
                .withNewResources().addToLimits('memory', new Quantity('512Mi')).endResources()
                .endContainer()
                .editMatchingContainer({ it.name == 'exporter' })
                .addNewEnv().withName('STATSD_MAPPING').withValue('/etc/mapping.yml').endEnv()
                .withNewResources().addToLimits('memory', new Quantity('64Mi')).endResources()
                .endContainer()
                .endSpec().endTemplate().endSpec().build()).create()
        String before = Serialization.asJson(gateway().spec)
        def patch = KubeRun.step('patchWorkload', 'upgrade/patch', [kubeconfig: kubeconfig, name: 'tyk-gtw', patch: [spec: [template: [spec: [containers: [
                [name: 'gateway', env: [[name: 'TYK_LOGLEVEL', value: 'debug']], resources: [limits: [memory: '1Gi']]]]]]]]])
        DeploymentSpec during = null

        expect:
        patch.description() == 'patch deployment tyk-gtw (strategic patch)'

        when:
        def result = run.run(patch, KubeRun.doing('look', { during = gateway().spec }), KubeRun.failing())

        then: 'env merged by name into the gateway container; the exporter as it was'
        with(during.template.spec.containers.find { it.name == 'gateway' }) {
            image == 'tykio/tyk-gateway:v5.3.0'
            env.collect { "${it.name}=${it.value}".toString() } == ['TYK_GW_LISTENPORT=8080', 'TYK_LOGLEVEL=debug']
            resources.limits.memory == new Quantity('1Gi')
        }
        Serialization.asJson(during.template.spec.containers.find { it.name == 'exporter' }) ==
                Serialization.asJson(Serialization.unmarshal(before, DeploymentSpec).template.spec.containers.find { it.name == 'exporter' })
        during.template.spec.containers*.name == ['gateway', 'exporter']

        and: 'the spec before is recorded, and the rollback put it back exactly'
        result.status() == RunStatus.ROLLED_BACK
        result.outputs()['upgrade/patch'].previousSpec == before
        Serialization.asJson(Serialization.unmarshal(result.outputs()['upgrade/patch'].spec as String, DeploymentSpec)) == Serialization.asJson(during)
        run.trace().findAll { it.startsWith('COMPENSATION') } == ['COMPENSATION_STARTED upgrade/patch', 'COMPENSATION_FINISHED upgrade/patch']
        Serialization.asJson(gateway().spec) == before
    }

    Deployment gateway() {
        kube.apps().deployments().withName('tyk-gtw').get()
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
