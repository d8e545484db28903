package io.lockstep.helm

import com.marcnuri.helm.Helm
import com.marcnuri.helm.ReleaseHistory
import io.fabric8.kubernetes.api.model.apps.Deployment
import io.lockstep.kubernetes.FakeKubeApi
import io.lockstep.kubernetes.HelmKubeApi
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Path

/**
 * Helm's own install, upgrade, history and get-values (helm-java, in this JVM) against the fake API
 * server with Helm's default storage driver: the routes of {@link HelmKubeApi} are what make that
 * possible, and this spec is their proof.
 */
class HelmOnFakeKubeApiSpec extends Specification {

    static final Path CHARTS = HelmTestbed.CHARTS

    @TempDir
    Path dir

    FakeKubeApi api

    def cleanup() {
        api?.close()
    }

    def "install, then upgrade with a new image tag: the Deployment keeps its containers and gets the image; history has 2 revisions"() {
        given:
        api = HelmKubeApi.start()
        Path kubeconfig = HelmTestbed.kubeconfig(dir.resolve('kubeconfig'), api, 'fake', 'tyk')
        Path chart = CHARTS.resolve('tyk-dev-portal')

        when:
        def installed = new Helm(chart).upgrade().install().withName('portal').withNamespace('tyk')
                .withKubeConfig(kubeconfig).set('image.tag', 'v1.10.0').withTimeout(60).call()

        then:
        installed.revision == '1'
        installed.status == 'deployed'
        image(api) == 'tykio/portal:v1.10.0'

        when:
        def upgraded = new Helm(chart).upgrade().withName('portal').withNamespace('tyk')
                .withKubeConfig(kubeconfig).set('image.tag', 'v1.11.0').withTimeout(60).call()
        Deployment deployment = api.client('tyk').apps().deployments().withName('dev-portal-portal').get()
        List<ReleaseHistory> history = Helm.history('portal').withNamespace('tyk').withKubeConfig(kubeconfig).call()
        String values = Helm.get('portal').values().withNamespace('tyk').withKubeConfig(kubeconfig).call()

        then:
        upgraded.revision == '2'
        deployment.spec.template.spec.containers*.name == ['dev-portal']
        with(deployment.spec.template.spec.containers[0]) {
            image == 'tykio/portal:v1.11.0'
            ports*.containerPort == [3001]
            env*.name == ['PORTAL_HOST_PORT', 'PORTAL_DATABASE_DIALECT', 'PORTAL_DATABASE_CONNECTIONSTRING']
            env[1].valueFrom.secretKeyRef.name == 'secrets-dev-portal-portal'
            readinessProbe.initialDelaySeconds == 5
            livenessProbe.httpGet.path == '/live'
        }
        !deployment.additionalProperties.toString().contains('$setElementOrder')
        new String(api.client('tyk').secrets().withName('secrets-dev-portal-portal').get().data.DevPortalDatabaseDialect.decodeBase64()) == 'sqlite3'
        history*.revision == [1, 2]
        history*.status == ['superseded', 'deployed']
        history*.chart == ['tyk-dev-portal-1.0.0', 'tyk-dev-portal-1.0.0']
        values.contains('tag: v1.11.0')
        api.requests.any { it.startsWith('PATCH /apis/apps/v1/namespaces/tyk/deployments/dev-portal-portal') }
        api.client('tyk').secrets().withLabel('owner', 'helm').list().items*.metadata*.name.sort() ==
                ['sh.helm.release.v1.portal.v1', 'sh.helm.release.v1.portal.v2']
    }

    private static String image(FakeKubeApi api) {
        api.client('tyk').apps().deployments().withName('dev-portal-portal').get().spec.template.spec.containers[0].image
    }
}
