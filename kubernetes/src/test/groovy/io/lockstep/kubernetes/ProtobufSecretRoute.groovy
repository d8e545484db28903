package io.lockstep.kubernetes

import io.fabric8.mockwebserver.dsl.HttpMethod
import io.fabric8.mockwebserver.http.Dispatcher
import io.fabric8.mockwebserver.http.MockResponse
import io.fabric8.mockwebserver.http.RecordedRequest

/**
 * Helm's storage driver writes its release Secrets through client-go's typed client, in protobuf,
 * which the CRUD store cannot parse. This route decodes such a POST or PUT ({@link KubeProtobuf})
 * and hands the store the same request with the JSON object. A DELETE's protobuf DeleteOptions is
 * dropped: the store deletes by path.
 */
class ProtobufSecretRoute implements FakeKubeApi.Route {

    static final String PROTOBUF = 'application/vnd.kubernetes.protobuf'

    @Override
    MockResponse handle(RecordedRequest request, Dispatcher store) {
        String type = request.getHeader('Content-Type') ?: ''
        if (!type.startsWith(PROTOBUF)) {
            return null
        }
        HttpMethod method = request.method()
        if (method == HttpMethod.DELETE) {
            return StoreRequests.forward(store, StoreRequests.rewrite(request, method, null))
        }
        Map<String, Object> object
        try {
            object = KubeProtobuf.decode(request.body.readByteArray())
        } catch (IllegalArgumentException e) {
            return StoreRequests.status(415, 'UnsupportedMediaType', "${request.method} ${request.path}: ${e.message}")
        }
        StoreRequests.forward(store, StoreRequests.rewrite(request, method, object))
    }
}
