package io.lockstep.kubernetes

import io.fabric8.kubernetes.api.model.ConfigMapBuilder
import spock.lang.Specification

class FakeKubeApiSpec extends Specification {

    def "objects a client stores are there for the next client"() {
        given:
        def api = FakeKubeApi.start()

        when:
        api.client('tyk').configMaps().resource(new ConfigMapBuilder()
                .withNewMetadata().withName('tyk-gateway-conf').endMetadata()
                .addToData('tyk.conf', '{}').build()).create()

        then:
        api.client('tyk').configMaps().withName('tyk-gateway-conf').get().data == ['tyk.conf': '{}']
        api.requests.any { it.startsWith('POST /api/v1/namespaces/tyk/configmaps') }

        cleanup:
        api?.close()
    }
}
