package io.lockstep.helm

import io.lockstep.kubernetes.KubeCluster
import io.lockstep.steps.StepFailedException
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path

/** helm-java has no context option: a named context becomes the current-context of the contents Helm gets. */
class HelmClusterSpec extends Specification {

    @TempDir
    Path dir

    Path kubeconfig

    def setup() {
        kubeconfig = dir.resolve('kubeconfig')
        Files.writeString(kubeconfig, '''\
            apiVersion: v1
            kind: Config
            clusters:
            - {name: dev, cluster: {server: 'http://127.0.0.1:1'}}
            - {name: prod, cluster: {server: 'http://127.0.0.1:2'}}
            contexts:
            - {name: dev, context: {cluster: dev, namespace: tyk-dev, user: u}}
            - {name: prod, context: {cluster: prod, namespace: tyk, user: u}}
            current-context: dev
            users:
            - {name: u, user: {token: t}}
            '''.stripIndent())
    }

    def "a named context is made current, and its namespace is the release's unless the step names one"() {
        when:
        HelmCluster cluster = HelmCluster.of(new KubeCluster(kubeconfig, context, namespace, KubeCluster.DEFAULT_REQUEST_TIMEOUT))

        then:
        HelmYaml.map(cluster.kubeconfig(), 'kubeconfig')['current-context'] == current
        cluster.namespace() == expectedNamespace
        cluster.describe() == "context ${current} of ${kubeconfig}".toString()

        where:
        context | namespace || current | expectedNamespace
        null    | null      || 'dev'   | 'tyk-dev'
        'prod'  | null      || 'prod'  | 'tyk'
        'prod'  | 'portal'  || 'prod'  | 'portal'
    }

    def "a context the kubeconfig does not have fails, naming the file"() {
        when:
        HelmCluster.of(new KubeCluster(kubeconfig, 'staging', null, KubeCluster.DEFAULT_REQUEST_TIMEOUT))

        then:
        StepFailedException e = thrown()
        e.message == "kubeconfig ${kubeconfig} has no context 'staging'; set context on the step or its target to one of its contexts"
    }
}
