package io.lockstep.helm

import io.lockstep.dsl.PlaybookLoader
import io.lockstep.engine.Lockstep
import io.lockstep.engine.RunOptions
import io.lockstep.engine.RunResult
import io.lockstep.engine.RunStatus
import io.lockstep.engine.journal.FileJournalStore
import io.lockstep.kubernetes.FakeKubeApi
import io.lockstep.kubernetes.HelmKubeApi
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path

/** helmUpgrade in a real playbook: chart relative to the playbook, cluster settings from the target, a timeout in DSL form. */
class HelmPlaybookSpec extends Specification {

    @TempDir
    Path dir

    FakeKubeApi api

    def cleanup() {
        api?.close()
    }

    def "the target's kubeconfig and namespace reach Helm, and the chart path is the playbook's"() {
        given:
        api = HelmKubeApi.start()
        HelmTestbed.kubeconfig(dir.resolve('kube/config'), api, 'tyk-dev', 'default')
        Files.createDirectories(dir.resolve('charts'))
        Files.walk(HelmTestbed.CHARTS.resolve('tyk-dev-portal')).each { Path source ->
            Path target = dir.resolve('charts/tyk-dev-portal').resolve(HelmTestbed.CHARTS.resolve('tyk-dev-portal').relativize(source).toString())
            Files.isDirectory(source) ? Files.createDirectories(target) : Files.copy(source, target)
        }
        Files.writeString(dir.resolve('env.groovy'), """
            environment('dev') {
                targets {
                    target 'dev-cluster', roles: ['k8s'], kubeconfig: 'kube/config', namespace: 'tyk-dev'
                }
            }""")
        Files.writeString(dir.resolve('upgrade.groovy'), """
            playbook('portal') {
                phase('upgrade') {
                    rolling('clusters', over: targets(role: 'k8s'), batches: [1]) { t ->
                        helmUpgrade 'portal', release: 'tyk-dev-portal', chart: 'charts/tyk-dev-portal', install: true,
                            set: ['image.tag': 'v1.11.0'], timeout: '2m'
                    }
                }
            }""")

        when:
        RunResult result = Lockstep.builder().store(new FileJournalStore(dir.resolve('runs'))).build()
                .run(PlaybookLoader.create().load(dir.resolve('upgrade.groovy'), dir.resolve('env.groovy'), [:]), RunOptions.DEFAULTS)

        then:
        result.status() == RunStatus.SUCCEEDED
        Map outputs = result.outputs()['upgrade/clusters/portal@dev-cluster']
        outputs.namespace == 'tyk-dev'
        outputs.revision == 1
        outputs.chart == 'tyk-dev-portal-1.0.0'
        api.client('tyk-dev').apps().deployments().withName('dev-portal-tyk-dev-portal').get()
                .spec.template.spec.containers[0].image == 'tykio/portal:v1.11.0'
    }
}
