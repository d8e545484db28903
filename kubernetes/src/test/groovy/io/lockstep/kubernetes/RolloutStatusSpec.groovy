package io.lockstep.kubernetes

import io.fabric8.kubernetes.api.model.apps.StatefulSet
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus
import spock.lang.Specification
import spock.lang.Unroll

/** When a statefulset's rollout counts as done, as kubectl rollout status decides it. */
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
}
