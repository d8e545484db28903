package io.lockstep.kubernetes

import spock.lang.Specification

/** Strategic merge patches as Helm's three-way merge writes them, applied to stored objects. */
class StrategicMergeSpec extends Specification {

    static final Map DEPLOYMENT = [
            metadata: [name: 'portal', labels: [app: 'portal', tier: 'web']],
            spec    : [replicas: 1, template: [spec: [containers: [
                    [name: 'portal', image: 'portal:1', ports: [[containerPort: 3001, name: 'http']], env: [[name: 'A', value: '1'], [name: 'B', value: '2']]],
                    [name: 'sidecar', image: 'envoy:1']]]]]]

    def "a container's image changes and the rest of the container and its siblings stay"() {
        given:
        Map patch = [spec: [template: [spec: [
                '$setElementOrder/containers': [[name: 'portal'], [name: 'sidecar']],
                containers                   : [[name: 'portal', image: 'portal:2']]]]]]

        when:
        Map merged = StrategicMerge.apply(DEPLOYMENT, patch)

        then:
        merged.spec.template.spec.containers == [
                [name: 'portal', image: 'portal:2', ports: [[containerPort: 3001, name: 'http']], env: [[name: 'A', value: '1'], [name: 'B', value: '2']]],
                [name: 'sidecar', image: 'envoy:1']]
        !merged.toString().contains('$setElementOrder')
        DEPLOYMENT.spec.template.spec.containers[0].image == 'portal:1'
    }

    def "nulls delete, \$patch: delete removes a list element, new elements are added in the order given"() {
        given:
        Map patch = [metadata: [labels: [tier: null]], spec: [template: [spec: [
                '$setElementOrder/containers': [[name: 'init'], [name: 'portal']],
                containers                   : [[name: 'sidecar', '$patch': 'delete'], [name: 'init', image: 'busybox'],
                                                [name: 'portal', '$setElementOrder/env': [[name: 'B'], [name: 'C']], env: [[name: 'A', '$patch': 'delete'], [name: 'C', value: '3']]]]]]]]

        when:
        Map merged = StrategicMerge.apply(DEPLOYMENT, patch)

        then:
        merged.metadata.labels == [app: 'portal']
        merged.spec.template.spec.containers*.name == ['init', 'portal']
        merged.spec.template.spec.containers[1].env == [[name: 'B', value: '2'], [name: 'C', value: '3']]
    }

    def "ports merge on their port, primitive lists are replaced, \$retainKeys drops the keys it does not name"() {
        given:
        Map service = [spec: [ports: [[port: 80, name: 'http'], [port: 443, name: 'https']], externalIPs: ['1.1.1.1'],
                              strategy: [type: 'RollingUpdate', rollingUpdate: [maxSurge: 1]]]]
        Map patch = [spec: [ports: [[port: 443, targetPort: 8443]], externalIPs: ['2.2.2.2'],
                            strategy: ['$retainKeys': ['type'], type: 'Recreate']]]

        expect:
        StrategicMerge.apply(service, patch) == [spec: [ports: [[port: 80, name: 'http'], [port: 443, name: 'https', targetPort: 8443]],
                                                        externalIPs: ['2.2.2.2'], strategy: [type: 'Recreate']]]
    }
}
