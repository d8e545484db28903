package io.lockstep.kubernetes

import io.fabric8.kubernetes.api.model.ProbeBuilder
import io.fabric8.kubernetes.api.model.apps.Deployment
import io.lockstep.engine.RunStatus

/** checkProbes against the portal guide's advice: probes wait at least 60 seconds. */
class CheckProbesSpec extends KubeRunSpecification {

    void portal(Integer readinessDelay, Integer livenessDelay) {
        Deployment d = KubeRun.deployment('tyk-dev-portal', ['tyk-portal': 'tykio/portal:1.14.1'])
        def container = d.spec.template.spec.containers[0]
        container.readinessProbe = new ProbeBuilder().withNewHttpGet().withPath('/ready').withNewPort(3001).endHttpGet()
                .withInitialDelaySeconds(readinessDelay).build()
        container.livenessProbe = livenessDelay == -1 ? null : new ProbeBuilder().withNewHttpGet().withPath('/live')
                .withNewPort(3001).endHttpGet().withInitialDelaySeconds(livenessDelay).build()
        kube.resource(d).create()
    }

    def check() {
        KubeRun.step('checkProbes', 'verify/probes', [kubeconfig: kubeconfig, name: 'tyk-dev-portal'])
    }

    def "probes that wait long enough pass and report their delays"() {
        given:
        portal(60, 90)

        expect:
        check().description() == 'check that the readiness and liveness probes of the container in deployment tyk-dev-portal wait at least 60s'

        when:
        def result = run.run(check())

        then:
        result.status() == RunStatus.SUCCEEDED
        result.outputs()['verify/probes'] == [initialDelaySeconds: [readiness: 60, liveness: 90]]
    }

    def "a probe too early or without a delay fails with the guide's advice"() {
        given:
        portal(10, null)

        when:
        def result = run.run(check())

        then:
        result.error() == 'container tyk-portal of deployment tyk-dev-portal (namespace tyk): its readiness probe waits only 10s, ' +
                'its liveness probe has no initialDelaySeconds; the application may be restarted before it finishes starting: ' +
                'set initialDelaySeconds to at least 60'
    }

    def "a probe the container lacks is not checked"() {
        given:
        portal(120, -1)

        when:
        def result = run.run(check())

        then:
        result.status() == RunStatus.SUCCEEDED
        result.outputs()['verify/probes'] == [initialDelaySeconds: [readiness: 120]]
    }
}
