package io.lockstep.kubernetes

import io.fabric8.kubernetes.api.model.PodBuilder
import io.lockstep.engine.RunStatus


/**
 * execInPod through the exec stream of the fake API server, which runs the command in the testbed's
 * database container (ExecBridge).
 */
class ExecInPodSpec extends KubeRunSpecification {

    static final String CONTAINER = 'lockstep-hosts-db'

    ExecBridge bridge = new ExecBridge()

    @Override
    List<FakeKubeApi.Route> routes() {
        [bridge]
    }

    def setup() {
        kube.resource(KubeRun.deployment('tyk-db', ['postgres': 'postgres:15'])).create()
        ['tyk-db-0': 'False', 'tyk-db-1': 'True'].each { name, ready ->
            kube.pods().resource(new PodBuilder().withNewMetadata().withName(name).addToLabels('app', 'tyk-db').endMetadata()
                    .withNewSpec().addNewContainer().withName('postgres').withImage('postgres:15').endContainer().endSpec()
                    .withNewStatus().withPhase('Running').addNewCondition().withType('Ready').withStatus(ready).endCondition().endStatus()
                    .build()).create()
            bridge.containers[name] = CONTAINER
        }
    }

    def "the command runs in the first ready pod of the workload; its output is the step's"() {
        given:
        def step = KubeRun.step('execInPod', 'db-version', [kubeconfig: kubeconfig, name: 'tyk-db', command: ['sh', '-c', 'echo 15.6; echo note >&2']])

        expect:
        step.description() == 'run [sh, -c, echo 15.6; echo note >&2] in the first ready pod of deployment tyk-db'

        when:
        def result = run.run(step)

        then:
        result.status() == RunStatus.SUCCEEDED
        result.outputs()['db-version'] == [pod: 'tyk-db-1', exitCode: 0, stdout: '15.6\n', stderr: 'note\n']
        bridge.commands == [['tyk-db-1', 'sh', '-c', 'echo 15.6; echo note >&2']]
    }

    def "a non-zero exit fails with the last lines of stderr"() {
        when:
        def result = run.run(KubeRun.step('execInPod', 'check', [kubeconfig: kubeconfig, pod: 'tyk-db-0',
                command: ['sh', '-c', 'for i in 1 2 3 4 5 6 7; do echo line $i >&2; done; exit 3']]))

        then:
        result.status() == RunStatus.ROLLED_BACK
        result.error() == 'sh exited with 3 in pod tyk-db-0 (namespace tyk): line 3\nline 4\nline 5\nline 6\nline 7'
    }
}
