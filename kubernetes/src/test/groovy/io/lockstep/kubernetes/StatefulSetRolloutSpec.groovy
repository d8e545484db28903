package io.lockstep.kubernetes

import io.fabric8.kubernetes.api.model.apps.StatefulSet
import io.lockstep.engine.RunStatus
import spock.util.concurrent.PollingConditions

import java.time.Duration

/**
 * The workload steps on a statefulset (the database of the Tyk charts), through the engine, with
 * {@link FakeRollouts} playing the StatefulSet controller: pods tyk-db-0 and tyk-db-1 replaced
 * highest ordinal first, a crash-looping pod stopping the rollout, and the status fields a real
 * controller writes.
 */
class StatefulSetRolloutSpec extends KubeRunSpecification {

    FakeRollouts controller
    PollingConditions conditions = new PollingConditions(timeout: 10)

    def setup() {
        controller = new FakeRollouts(kube, 'tyk')
        kube.resource(KubeRun.statefulSet('tyk-db', ['postgres': 'postgres:15.5'])).create()
        rolledOutOn('postgres:15.5')
    }

    def cleanup() {
        controller?.close()
    }

    def upgrade(String image, Duration timeout = Duration.ofMinutes(1)) {
        [KubeRun.step('setWorkloadImage', 'upgrade/set-image', [kubeconfig: kubeconfig, kind: 'statefulset', name: 'tyk-db', image: image]),
         KubeRun.step('waitRollout', 'upgrade/rollout', [kubeconfig: kubeconfig, kind: 'statefulset', name: 'tyk-db', timeout: timeout,
                                                        interval: Duration.ofMillis(100)])]
    }

    StatefulSet db() {
        kube.apps().statefulSets().withName('tyk-db').get()
    }

    /** Each pod's image, by pod name. */
    Map<String, String> pods() {
        kube.pods().withLabel('app', 'tyk-db').list().items.sort { it.metadata.name }
                .collectEntries { [(it.metadata.name): it.spec.containers[0].image] }
    }

    /** Waits until every pod runs {@code image} and the status says the rollout is done. */
    void rolledOutOn(String image) {
        conditions.eventually {
            assert pods() == ['tyk-db-0': image, 'tyk-db-1': image]
            StatefulSet s = db()
            assert RolloutStatus.of(WorkloadKind.STATEFULSET, s).done()
        }
    }

    def "setWorkloadImage and waitRollout move a statefulset's pods onto the new image, highest ordinal first"() {
        expect:
        upgrade('postgres:15.6')*.description() == ['set image of the container in statefulset tyk-db to postgres:15.6',
                                                    'wait up to 1m for statefulset tyk-db to roll out']

        when:
        def result = run.run(*upgrade('postgres:15.6'))

        then:
        result.status() == RunStatus.SUCCEEDED
        with(result.outputs()['upgrade/set-image']) {
            kind == 'statefulset'
            name == 'tyk-db'
            container == 'postgres'
            image == 'postgres:15.6'
            previousImage == 'postgres:15.5'
            changed == true
        }
        result.outputs()['upgrade/rollout'] == [replicas: 2, updatedReplicas: 2, readyReplicas: 2, availableReplicas: 2]
        pods() == ['tyk-db-0': 'postgres:15.6', 'tyk-db-1': 'postgres:15.6']
        controller.started == ['tyk-db-0 postgres:15.5', 'tyk-db-1 postgres:15.5', 'tyk-db-1 postgres:15.6', 'tyk-db-0 postgres:15.6']
        with(db().status) {
            observedGeneration == db().metadata.generation
            currentRevision == updateRevision
            currentReplicas == 2
        }
    }

    def "a crash-looping image fails waitRollout with the pod's reason; the rollback puts the previous image back and deletes the stuck pod"() {
        expect: 'the plan says the undo deletes pods'
        upgrade('postgres:16-broken')[0].compensation().description() ==
                'put the previous image of the container in statefulset tyk-db back (refused if someone changed it since), ' +
                'and delete its pods not ready on the new image, which a statefulset does not replace by itself'

        when:
        def result = run.run(*upgrade('postgres:16-broken', Duration.ofSeconds(2)))

        then: 'tyk-db-1 crash-loops and the controller goes no further: tyk-db-0 keeps the previous image'
        result.status() == RunStatus.ROLLED_BACK
        result.failedStep() == 'upgrade/rollout'
        result.error() == 'statefulset tyk-db (namespace tyk) did not roll out in 2s: 1 of 2 replicas updated, 1 ready, 1 available, ' +
                'revision not yet current; pod tyk-db-1: container postgres waiting: CrashLoopBackOff ' +
                '(back-off 40s restarting failed container=postgres pod=tyk-db-1), last exit code 1'
        run.trace().findAll { it.startsWith('COMPENSATION') } == ['COMPENSATION_STARTED upgrade/set-image', 'COMPENSATION_FINISHED upgrade/set-image']
        db().spec.template.spec.containers[0].image == 'postgres:15.5'
        run.log.findAll { it.startsWith('upgrade/set-image: ') } == [
                'upgrade/set-image: set image of container postgres in statefulset tyk-db (namespace tyk): postgres:15.5 -> postgres:16-broken (generation 2)',
                'upgrade/set-image: put image postgres:15.5 back on container postgres of statefulset tyk-db (namespace tyk) (was postgres:16-broken)',
                'upgrade/set-image: deleted pod tyk-db-1 of statefulset tyk-db (namespace tyk): container postgres is not ready on ' +
                        'postgres:16-broken, and a statefulset does not replace such a pod by itself; it recreates it from the previous template']

        and: 'the controller recreates tyk-db-1 from the previous template; tyk-db-0 was never touched'
        rolledOutOn('postgres:15.5')
        controller.started == ['tyk-db-0 postgres:15.5', 'tyk-db-1 postgres:15.5', 'tyk-db-1 postgres:16-broken', 'tyk-db-1 postgres:15.5']
    }

    def "a later failure after a finished rollout rolls the statefulset back pod by pod, deleting none"() {
        when:
        def result = run.run(*upgrade('postgres:15.6'), KubeRun.failing())

        then:
        result.status() == RunStatus.ROLLED_BACK
        run.trace().findAll { it.startsWith('COMPENSATION') } == ['COMPENSATION_STARTED upgrade/set-image', 'COMPENSATION_FINISHED upgrade/set-image']
        db().spec.template.spec.containers[0].image == 'postgres:15.5'
        run.log.every { !it.contains('deleted pod') }
        rolledOutOn('postgres:15.5')
        controller.started == ['tyk-db-0 postgres:15.5', 'tyk-db-1 postgres:15.5', 'tyk-db-1 postgres:15.6', 'tyk-db-0 postgres:15.6',
                               'tyk-db-1 postgres:15.5', 'tyk-db-0 postgres:15.5']
    }

    def "scaleWorkload stops every pod of a statefulset and starts them again in order on rollback"() {
        given:
        def scale = KubeRun.step('scaleWorkload', 'stop-db', [kubeconfig: kubeconfig, kind: 'statefulset', name: 'tyk-db', replicas: 0,
                                                              timeout: Duration.ofMinutes(1), interval: Duration.ofMillis(100)])
        Map<String, String> podsDuringRun = null

        expect:
        scale.description() == 'scale statefulset tyk-db to 0 replicas and wait up to 1m'
        scale.compensation().description() == 'scale statefulset tyk-db back to its previous replica count'

        when:
        def result = run.run(scale, KubeRun.doing('backup', { podsDuringRun = pods() }), KubeRun.failing())

        then:
        podsDuringRun == [:]
        result.status() == RunStatus.ROLLED_BACK
        result.outputs()['stop-db'] == [kind: 'statefulset', name: 'tyk-db', namespace: 'tyk', replicas: 0, previousReplicas: 2]
        run.trace().findAll { it.startsWith('COMPENSATION') } == ['COMPENSATION_STARTED stop-db', 'COMPENSATION_FINISHED stop-db']
        db().spec.replicas == 2
        with(db().status) {
            replicas == 2
            readyReplicas == 2
        }
        pods() == ['tyk-db-0': 'postgres:15.5', 'tyk-db-1': 'postgres:15.5']
        controller.started == ['tyk-db-0 postgres:15.5', 'tyk-db-1 postgres:15.5', 'tyk-db-0 postgres:15.5', 'tyk-db-1 postgres:15.5']
    }
}
