package io.lockstep.kubernetes

import io.fabric8.kubernetes.api.model.apps.Deployment
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder
import io.fabric8.kubernetes.api.model.apps.StatefulSet
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus
import spock.lang.Specification
import spock.lang.Unroll

/** When a rollout counts as done or stalled, as kubectl rollout status decides it. */
class RolloutStatusSpec extends Specification {

    static StatefulSet statefulSet(StatefulSetStatus status) {
        new StatefulSetBuilder().withNewMetadata().withName('tyk-db').withGeneration(3L).endMetadata()
                .withNewSpec().withReplicas(2).endSpec().withStatus(status).build()
    }

    @Unroll
    def "statefulset: #situation"() {
        when:
        RolloutStatus status = RolloutStatus.of(WorkloadKind.STATEFULSET, statefulSet(new StatefulSetStatus(fields)))

        then:
        status.done() == done
        status.progress() == progress

        where:
        situation                              | fields                                                                                                                                       | done  | progress
        'every replica on the update revision' | [observedGeneration: 3, replicas: 2, readyReplicas: 2, updatedReplicas: 2, currentRevision: 'r2', updateRevision: 'r2', availableReplicas: 2] | true  | '2 of 2 replicas updated, 2 ready, 2 available'
        'revision not yet current'             | [observedGeneration: 3, replicas: 2, readyReplicas: 2, updatedReplicas: 1, currentRevision: 'r1', updateRevision: 'r2']                        | false | '1 of 2 replicas updated, 2 ready, 2 available, revision not yet current'
        'the controller is behind'             | [observedGeneration: 2, replicas: 2, readyReplicas: 2, updatedReplicas: 2, currentRevision: 'r2', updateRevision: 'r2']                        | false | 'the controller has not yet seen the latest change'
    }

    static Deployment stalledDeployment(long observedGeneration) {
        new DeploymentBuilder().withNewMetadata().withName('tyk-gtw').withGeneration(3L).endMetadata()
                .withNewSpec().withReplicas(1).endSpec()
                .withNewStatus().withObservedGeneration(observedGeneration).withReplicas(1).withUpdatedReplicas(1)
                .withReadyReplicas(0).withAvailableReplicas(0)
                .addNewCondition().withType('Progressing').withStatus('False').withReason('ProgressDeadlineExceeded')
                .withMessage('ReplicaSet "tyk-gtw-7d9" has timed out progressing.').endCondition()
                .endStatus().build()
    }

    def "deployment: the deadline passed on the latest spec: stalled"() {
        expect:
        RolloutStatus.of(WorkloadKind.DEPLOYMENT, stalledDeployment(3)).stalled() ==
                'ProgressDeadlineExceeded (ReplicaSet "tyk-gtw-7d9" has timed out progressing.)'
    }

    def "deployment: a deadline condition from before the latest change (a rollback just applied) is not a stall"() {
        when:
        RolloutStatus status = RolloutStatus.of(WorkloadKind.DEPLOYMENT, stalledDeployment(2))

        then:
        status.stalled() == null
        !status.done()
        status.progress() == 'the controller has not yet seen the latest change'
    }
}
