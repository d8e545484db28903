package io.lockstep.helm

import io.lockstep.kubernetes.FakeKubeApi
import io.lockstep.kubernetes.HelmKubeApi
import io.lockstep.testing.TestStepContext
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path

/** The value paths of the Tyk charts (tyk-stack, tyk-oss), set and values files, through helmUpgrade. */
class HelmChartsSpec extends Specification {

    @TempDir
    Path dir

    FakeKubeApi api
    Path kubeconfig

    def setup() {
        api = HelmKubeApi.start()
        kubeconfig = HelmTestbed.kubeconfig(dir.resolve('kubeconfig'), api, 'fake', 'tyk')
    }

    def cleanup() {
        api?.close()
    }

    private Map run(String id, Map args) {
        new TestStepContext(dir).withCloseable { TestStepContext ctx ->
            ctx.stepId = id
            HelmTestbed.step('helmUpgrade', id, [kubeconfig: kubeconfig.toString()] + args).build().action().execute(ctx)
        }
    }

    private String image(String deployment) {
        api.client('tyk').apps().deployments().withName(deployment).get().spec.template.spec.containers[0].image
    }

    def "#chart: #path drives the image of #deployment"() {
        given:
        String source = HelmTestbed.CHARTS.resolve(chart).toString()
        run('install', [release: 'tyk', chart: source, install: true])

        when:
        Map outputs = run('upgrade', [release: 'tyk', chart: source, set: [(path): 'v9.9.9']])

        then:
        image(deployment).endsWith(':v9.9.9')
        outputs.previousValues == '{}'
        outputs.values.contains('"v9.9.9"')

        where:
        chart         | path                                            | deployment
        'tyk-stack'   | 'global.components.devPortal.image.tag'         | 'dev-portal-tyk'
        'tyk-oss'     | 'tyk-gateway.gateway.image.tag'                 | 'gateway-tyk-tyk-gateway'
    }

    def "values files apply in order and set wins over them"() {
        given:
        Files.writeString(dir.resolve('base.yaml'), 'image:\n  repository: registry.example.com/portal\n  tag: v1\n')
        Files.writeString(dir.resolve('prod.yaml'), 'image:\n  tag: v2\nlivenessProbe:\n  initialDelaySeconds: 60\n')
        String chart = HelmTestbed.CHARTS.resolve('tyk-dev-portal').toString()

        when:
        Map outputs = run('portal', [release: 'portal', chart: chart, install: true, values: ['base.yaml', 'prod.yaml'], set: ['image.tag': 'v3']])

        then:
        image('dev-portal-portal') == 'registry.example.com/portal:v3'
        api.client('tyk').apps().deployments().withName('dev-portal-portal').get()
                .spec.template.spec.containers[0].livenessProbe.initialDelaySeconds == 60
        HelmYaml.fromJson(outputs.values) == [image: [repository: 'registry.example.com/portal', tag: 'v3'], livenessProbe: [initialDelaySeconds: 60]]
    }
}
