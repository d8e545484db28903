package io.lockstep.kubernetes

import io.fabric8.mockwebserver.dsl.HttpMethod
import io.fabric8.mockwebserver.http.MockResponse
import io.fabric8.kubernetes.api.model.apps.Deployment
import io.fabric8.kubernetes.client.utils.Serialization
import io.lockstep.engine.RunStatus

/**
 * setWorkloadImage run by the engine against the fake API server: the outputs, the undo when a later
 * step fails, the refusal to undo over someone else's change, and the failures a user meets first
 * (a missing deployment, a wrong kubeconfig, a cluster that does not answer).
 */
class SetWorkloadImageSpec extends KubeRunSpecification {

    def setup() {
        kube.resource(KubeRun.deployment('tyk-dev-portal', ['tyk-portal': 'tykio/portal:1.13.0', 'sidecar': 'busybox:1'])).create()
    }

    String image(String container = 'tyk-portal') {
        kube.apps().deployments().withName('tyk-dev-portal').get().spec.template.spec.containers.find { it.name == container }.image
    }

    def "the image is set and recorded; a later failure puts the previous image back"() {
        given:
        def set = KubeRun.step('setWorkloadImage', 'upgrade/set-image', [kubeconfig: kubeconfig, name: 'tyk-dev-portal',
                container: 'tyk-portal', image: 'tykio/portal:1.14.1'])
        String imageDuringRun = null

        expect: 'the plan says what changes and what the undo does'
        set.description() == 'set image of container tyk-portal in deployment tyk-dev-portal to tykio/portal:1.14.1'
        set.compensation().description() == 'put the previous image of container tyk-portal in deployment tyk-dev-portal back (refused if someone changed it since)'

        when:
        def result = run.run(set, KubeRun.doing('upgrade/look', { imageDuringRun = image() }), KubeRun.failing())

        then:
        imageDuringRun == 'tykio/portal:1.14.1'
        result.status() == RunStatus.ROLLED_BACK
        run.trace().findAll { it.startsWith('COMPENSATION') } == ['COMPENSATION_STARTED upgrade/set-image', 'COMPENSATION_FINISHED upgrade/set-image']
        with(result.outputs()['upgrade/set-image']) {
            kind == 'deployment'
            name == 'tyk-dev-portal'
            namespace == 'tyk'
            container == 'tyk-portal'
            image == 'tykio/portal:1.14.1'
            previousImage == 'tykio/portal:1.13.0'
            changed == true
            generation instanceof Number
            Serialization.unmarshal(previousSpec, io.fabric8.kubernetes.api.model.PodTemplateSpec).spec.containers*.image == ['tykio/portal:1.13.0', 'busybox:1']
        }

        and: 'the undo put the previous image back and left the other container alone'
        image() == 'tykio/portal:1.13.0'
        image('sidecar') == 'busybox:1'
    }

    def "tag replaces only the tag; the only container needs no name"() {
        given:
        kube.resource(KubeRun.deployment('tyk-gtw', ['gateway': '127.0.0.1:5000/tykio/tyk-gateway:v5.3.0'])).create()

        when:
        def result = run.run(KubeRun.step('setWorkloadImage', 'set', [kubeconfig: kubeconfig, name: 'tyk-gtw', tag: 'v5.3.1']))

        then:
        result.status() == RunStatus.SUCCEEDED
        result.outputs().set.container == 'gateway'
        result.outputs().set.image == '127.0.0.1:5000/tykio/tyk-gateway:v5.3.1'
        kube.apps().deployments().withName('tyk-gtw').get().spec.template.spec.containers[0].image == '127.0.0.1:5000/tykio/tyk-gateway:v5.3.1'
    }

    def "an image already set changes nothing, and the undo has nothing to do"() {
        when:
        def result = run.run(KubeRun.step('setWorkloadImage', 'set', [kubeconfig: kubeconfig, name: 'tyk-dev-portal',
                container: 'tyk-portal', image: 'tykio/portal:1.13.0']), KubeRun.failing())

        then:
        result.status() == RunStatus.ROLLED_BACK
        result.outputs().set.changed == false
        image() == 'tykio/portal:1.13.0'
    }

    def "the undo refuses to overwrite an image someone changed since"() {
        when:
        def result = run.run(
                KubeRun.step('setWorkloadImage', 'upgrade/set-image', [kubeconfig: kubeconfig, name: 'tyk-dev-portal',
                        container: 'tyk-portal', image: 'tykio/portal:1.14.1']),
                KubeRun.doing('someone-else', {
                    kube.apps().deployments().withName('tyk-dev-portal').edit { Deployment d ->
                        d.spec.template.spec.containers[0].image = 'tykio/portal:1.14.2-hotfix'
                        d
                    }
                }),
                KubeRun.failing())

        then:
        result.status() == RunStatus.COMPENSATION_FAILED
        result.notUndone().any { it.startsWith('upgrade/set-image (compensation failed: refusing') }
        image() == 'tykio/portal:1.14.2-hotfix'
        String message = compensationError()
        message.contains('refusing to put image tykio/portal:1.13.0 back on container tyk-portal of deployment tyk-dev-portal (namespace tyk): ' +
                'it runs tykio/portal:1.14.2-hotfix now, not tykio/portal:1.14.1')
        message.contains('kubectl set image deployment/tyk-dev-portal tyk-portal=tykio/portal:1.13.0 -n tyk')
    }

    def "a write that loses the race with a status write is tried again; a spec changed in between is not overwritten"() {
        given: 'the first write of the deployment answered with a conflict, as when the controller wrote its status just before'
        int conflicts = 0
        api.routes.add({ request, store ->
            if (request.method == 'PUT' && request.path.endsWith('/deployments/tyk-dev-portal') && conflicts < limit) {
                conflicts++
                if (specChanged) {
                    // Someone else's write lands first, straight in the store.
                    Map<String, Object> stored = StoreRequests.parse(
                            store.dispatch(StoreRequests.rewrite(request, HttpMethod.GET, null)).body.readUtf8())
                    stored.spec.replicas = 7
                    store.dispatch(StoreRequests.rewrite(request, HttpMethod.PUT, stored))
                }
                return new MockResponse().setResponseCode(409).setHeader('Content-Type', 'application/json')
                        .setBody('{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"Conflict","code":409,' +
                                '"message":"Operation cannot be fulfilled on deployments.apps \\"tyk-dev-portal\\": the object has been modified"}')
            }
            null
        } as FakeKubeApi.Route)

        when:
        def result = run.run(KubeRun.step('setWorkloadImage', 'set', [kubeconfig: kubeconfig, name: 'tyk-dev-portal',
                container: 'tyk-portal', image: 'tykio/portal:1.14.1']))

        then:
        result.status() == status
        image() == imageAfter
        kube.apps().deployments().withName('tyk-dev-portal').get().spec.replicas == replicas
        result.message().contains(message)

        where:
        limit | specChanged || status                | imageAfter            | replicas | message
        1     | false       || RunStatus.SUCCEEDED   | 'tykio/portal:1.14.1' | 2        | 'all 1 steps finished'
        1     | true        || RunStatus.ROLLED_BACK | 'tykio/portal:1.13.0' | 7        | 'was changed by someone else while the step was writing it'
    }

    def "a container the pod template lacks, or several and no name, are named in the error"() {
        when:
        def result = run.run(KubeRun.step('setWorkloadImage', 'set', [kubeconfig: kubeconfig, name: 'tyk-dev-portal', image: 'x:1']))

        then:
        result.status() == RunStatus.ROLLED_BACK
        result.error().contains('the pod template of deployment tyk-dev-portal (namespace tyk) has 2 containers [tyk-portal, sidecar]: set container: to the one the step is about')

        when:
        result = run.run(KubeRun.step('setWorkloadImage', 'set', [kubeconfig: kubeconfig, name: 'tyk-dev-portal', container: 'portal', image: 'x:1']))

        then:
        result.error().contains("the pod template of deployment tyk-dev-portal (namespace tyk) has no container 'portal' (it has [tyk-portal, sidecar]): correct container:")
    }

    def "a missing deployment says where the step looked"() {
        when:
        def result = run.run(KubeRun.step('setWorkloadImage', 'set', [kubeconfig: kubeconfig, name: 'tyk-gtw', image: 'x:1']))

        then:
        result.status() == RunStatus.ROLLED_BACK
        result.error().contains("deployment tyk-gtw not found in namespace tyk (context fake of ${dir.resolve('kubeconfig')}); " +
                'check the name, the namespace and the context (kubectl get deployments -n tyk)')
    }

    def "a wrong kubeconfig path and a closed port fail with what to check"() {
        when:
        def result = run.run(KubeRun.step('setWorkloadImage', 'set', [kubeconfig: 'nowhere/kubeconfig', name: 'tyk-gtw', image: 'x:1']))

        then:
        result.error().contains("kubeconfig ${dir.resolve('nowhere/kubeconfig')} does not exist; set kubeconfig on the step or its target")

        when: 'the API server is gone'
        String url = api.url()
        api.close()
        result = run.run(KubeRun.step('setWorkloadImage', 'set', [kubeconfig: kubeconfig, name: 'tyk-gtw', image: 'x:1',
                requestTimeout: java.time.Duration.ofSeconds(5)]))

        then:
        result.status() == RunStatus.ROLLED_BACK
        result.error().contains("cannot read deployment tyk-gtw (namespace tyk): the API server ${url}")
        result.error().contains('does not answer')
        result.error().contains('check that the cluster is up and that the kubeconfig names the right server')
    }

    String compensationError() {
        run.store.open(run.result.runId()).withCloseable { journal ->
            journal.records().findAll { it.type().toString() == 'COMPENSATION_FAILED' }.collect { it.toString() }.join('\n')
        }
    }
}
