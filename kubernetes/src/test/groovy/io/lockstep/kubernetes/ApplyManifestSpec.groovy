package io.lockstep.kubernetes

import io.fabric8.kubernetes.api.model.ConfigMapBuilder
import io.fabric8.kubernetes.api.model.apps.Deployment
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus
import io.lockstep.engine.RunStatus

import java.nio.file.Files
import java.nio.file.Path

/** applyManifest on the OSS gateway guide's directory: kubectl's report, and the undo in reverse. */
class ApplyManifestSpec extends KubeRunSpecification {

    static final String CONFIG = '''\
apiVersion: v1
kind: ConfigMap
metadata:
  name: tyk-gateway-conf
data:
  tyk.conf: '{"listen_port": 8080}'
'''

    static final String GATEWAY = '''\
# the gateway and its service
apiVersion: apps/v1
kind: Deployment
metadata:
  name: tyk-gtw
  labels: {app: tyk-gtw}
spec:
  replicas: 2
  selector:
    matchLabels: {app: tyk-gtw}
  template:
    metadata:
      labels: {app: tyk-gtw}
    spec:
      containers:
      - name: gateway
        image: tykio/tyk-gateway:v5.3.1
---
apiVersion: v1
kind: Service
metadata:
  name: tyk-svc
spec:
  selector: {app: tyk-gtw}
  ports:
  - port: 8080
'''

    def setup() {
        Path manifests = Files.createDirectories(dir.resolve('tyk-oss'))
        Files.writeString(manifests.resolve('01-config.yaml'), CONFIG)
        Files.writeString(manifests.resolve('02-gateway.yml'), GATEWAY)
        Files.writeString(manifests.resolve('README.md'), 'not a manifest')
        kube.resource(new ConfigMapBuilder().withNewMetadata().withName('tyk-gateway-conf').endMetadata()
                .addToData('tyk.conf', '{"listen_port": 8080}').build()).create()
        kube.resource(KubeRun.deployment('tyk-gtw', ['gateway': 'tykio/tyk-gateway:v5.2.0'])).create()
    }

    def apply(String file = 'tyk-oss') {
        KubeRun.step('applyManifest', 'upgrade/apply', [kubeconfig: kubeconfig, file: file])
    }

    String gatewayImage() {
        kube.apps().deployments().withName('tyk-gtw').get().spec.template.spec.containers[0].image
    }

    def "objects are created or updated as kubectl reports them; the undo deletes what was created and restores what changed"() {
        given:
        List<String> during = null

        expect:
        apply().description() == 'apply the objects of tyk-oss'

        when:
        def result = run.run(apply(), KubeRun.doing('look', { during = [gatewayImage(), kube.services().withName('tyk-svc').get()?.metadata?.name] }),
                KubeRun.failing())

        then:
        result.outputs()['upgrade/apply'].objects == ['configmap/tyk-gateway-conf unchanged', 'deployment.apps/tyk-gtw configured', 'service/tyk-svc created']
        during == ['tykio/tyk-gateway:v5.3.1', 'tyk-svc']
        result.status() == RunStatus.ROLLED_BACK
        run.trace().findAll { it.startsWith('COMPENSATION') } == ['COMPENSATION_STARTED upgrade/apply', 'COMPENSATION_FINISHED upgrade/apply']

        and:
        kube.services().withName('tyk-svc').get() == null
        gatewayImage() == 'tykio/tyk-gateway:v5.2.0'
        kube.configMaps().withName('tyk-gateway-conf').get().data == ['tyk.conf': '{"listen_port": 8080}']
    }

    def "the undo refuses an object changed after the step applied it"() {
        when:
        def result = run.run(apply(),
                KubeRun.doing('someone-else', { kube.apps().deployments().withName('tyk-gtw').edit { Deployment d -> d.spec.replicas = 5; d } }),
                KubeRun.failing())

        then:
        result.status() == RunStatus.COMPENSATION_FAILED
        result.message().contains('refusing to put its previous state back: deployment.apps/tyk-gtw (namespace tyk) was changed after the step applied it')
        kube.apps().deployments().withName('tyk-gtw').get().spec.replicas == 5
    }

    def "the controller's status writes after the apply do not count as someone else's change"() {
        when:
        def result = run.run(apply(),
                KubeRun.doing('controller', {
                    kube.apps().deployments().withName('tyk-gtw').editStatus { Deployment d ->
                        d.status = new DeploymentStatus(observedGeneration: 2, replicas: 1, readyReplicas: 1); d
                    }
                }),
                KubeRun.failing())

        then:
        result.status() == RunStatus.ROLLED_BACK
        gatewayImage() == 'tykio/tyk-gateway:v5.2.0'
    }

    def "bad YAML names the file and the document"() {
        given:
        Files.writeString(dir.resolve('tyk-oss/02-gateway.yml'), GATEWAY + '---\nkind: [unclosed\n')

        when:
        def result = run.run(apply())

        then:
        result.error().startsWith("manifest ${dir.resolve('tyk-oss/02-gateway.yml')}, document 3: not a Kubernetes object (")
        result.error().endsWith('; correct the YAML')
        gatewayImage() == 'tykio/tyk-gateway:v5.2.0'
    }
}
