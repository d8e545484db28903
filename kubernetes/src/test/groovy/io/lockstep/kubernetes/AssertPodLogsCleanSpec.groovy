package io.lockstep.kubernetes

import io.fabric8.kubernetes.api.model.PodBuilder
import io.lockstep.engine.RunStatus

import java.time.Instant

/** assertPodLogsClean reading the logs of a workload's pods from the fake API server. */
class AssertPodLogsCleanSpec extends KubeRunSpecification {

    PodLogs logs = new PodLogs()

    @Override
    List<FakeKubeApi.Route> routes() {
        [logs]
    }

    def setup() {
        kube.resource(KubeRun.deployment('tyk-gtw', ['gateway': 'tykio/tyk-gateway:v5.3.1'])).create()
        ['tyk-gtw-a', 'tyk-gtw-b'].each { name ->
            kube.pods().resource(new PodBuilder().withNewMetadata().withName(name).addToLabels('app', 'tyk-gtw').endMetadata()
                    .withNewSpec().addNewContainer().withName('gateway').withImage('x').endContainer().endSpec().build()).create()
        }
        kube.pods().resource(new PodBuilder().withNewMetadata().withName('other').addToLabels('app', 'redis').endMetadata()
                .withNewSpec().addNewContainer().withName('redis').withImage('x').endContainer().endSpec().build()).create()
    }

    def check(Map args) {
        KubeRun.step('assertPodLogsClean', 'verify/gateway-log', [kubeconfig: kubeconfig, name: 'tyk-gtw'] + args)
    }

    def "clean logs of every pod pass; the server is asked only for lines since the step named in since"() {
        given:
        logs.logs['tyk-gtw-a'] = 'level=info msg="Gateway started"\nlevel=info msg="API loaded"\n'
        logs.logs['tyk-gtw-b'] = 'level=info msg="Gateway started"\n'

        expect:
        check(since: 'upgrade/set-image', expect: ['Gateway started']).description() ==
                "scan the logs of the pods of deployment tyk-gtw since step 'upgrade/set-image' started for " +
                "${io.lockstep.steps.logs.LogRules.DEFAULT_ERRORS.size()} error patterns and expected lines [Gateway started]"

        when:
        def result = run.run(KubeRun.doing('upgrade/set-image', {}), check(since: 'upgrade/set-image', expect: ['Gateway started']))

        then:
        result.status() == RunStatus.SUCCEEDED
        with(result.outputs()['verify/gateway-log']) {
            pods == ['tyk-gtw-a', 'tyk-gtw-b']
            linesScanned == 3
            errorCount == 0
            expectedMissing == [:]
        }
        logs.queries*.pod == ['tyk-gtw-a', 'tyk-gtw-b']
        logs.queries*.container == ['gateway', 'gateway']
        logs.queries.every { Instant.parse(it.sinceTime) == startOf('upgrade/set-image') }

        and: 'each log is one GET: no wait for the pod to become ready (a list and a watch per pod)'
        api.requests.findAll { it.startsWith('GET /api/v1/namespaces/tyk/pods') }*.replaceAll(/sinceTime=[^&]+/, 'sinceTime=T') == [
                'GET /api/v1/namespaces/tyk/pods?labelSelector=app%3Dtyk-gtw',
                'GET /api/v1/namespaces/tyk/pods/tyk-gtw-a/log?container=gateway&sinceTime=T',
                'GET /api/v1/namespaces/tyk/pods/tyk-gtw-b/log?container=gateway&sinceTime=T',
        ]
    }

    def "a pod whose log the server refuses fails the step with the server's reason"() {
        given: 'the answer a kubelet gives for a container that never started'
        logs.logs['tyk-gtw-a'] = 'level=info msg="Gateway started"\n'
        logs.refusals['tyk-gtw-b'] = 'container "gateway" in pod "tyk-gtw-b" is waiting to start: ' +
                'trying and failing to pull image'

        when:
        def result = run.run(check([:]))

        then:
        result.status() == RunStatus.ROLLED_BACK
        result.error() == 'cannot read the log of pod tyk-gtw-b (context fake of ' + kubeconfig + '): ' +
                'container "gateway" in pod "tyk-gtw-b" is waiting to start: trying and failing to pull image'
    }

    def "an error line fails the step naming the pod, the line number and the line"() {
        given:
        logs.logs['tyk-gtw-a'] = 'level=info msg="Gateway started"\n'
        logs.logs['tyk-gtw-b'] = 'level=info msg="Gateway started"\nlevel=info msg="API loaded"\n' +
                'level=error msg="Could not connect to Redis: dial tcp 10.0.0.7:6379: connection refused"\n'

        when:
        def result = run.run(check(selector: [app: 'tyk-gtw'], name: null, expect: ['API loaded']))

        then:
        result.status() == RunStatus.ROLLED_BACK
        result.error() == 'logs since this step began are not clean: ' +
                'pod tyk-gtw-a (container gateway): no line matched expected /API loaded/; ' +
                'pod tyk-gtw-b (container gateway): 1 error line ' +
                '(3: level=error msg="Could not connect to Redis: dial tcp 10.0.0.7:6379: connection refused")'
    }

    def "name and selector together are refused when the step is created"() {
        when:
        check(selector: 'app=tyk-gtw')

        then:
        IllegalArgumentException e = thrown()
        e.message.startsWith("assertPodLogsClean 'verify/gateway-log': give exactly one of name")
    }

    Instant startOf(String stepId) {
        run.store.open(run.result.runId()).withCloseable { journal ->
            journal.records().find { it.type().toString() == 'STEP_STARTED' && it.stepId() == stepId }.at()
        }
    }
}
