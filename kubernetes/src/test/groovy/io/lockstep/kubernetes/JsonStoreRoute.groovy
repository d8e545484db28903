package io.lockstep.kubernetes

import io.fabric8.mockwebserver.dsl.HttpMethod
import io.fabric8.mockwebserver.http.Dispatcher
import io.fabric8.mockwebserver.http.MockResponse
import io.fabric8.mockwebserver.http.RecordedRequest

/**
 * The last Helm route: every other request goes to the store, and its answer is marked JSON so
 * client-go (which prefers protobuf) decodes it. A list comes back as {@code kind: SecretList}
 * (and so on) rather than the store's {@code List}: client-go's typed client, asked to decode a
 * {@code List} into a SecretList, creates another object and leaves the SecretList empty, so Helm
 * would see no releases.
 */
class JsonStoreRoute implements FakeKubeApi.Route {

    @Override
    MockResponse handle(RecordedRequest request, Dispatcher store) {
        MockResponse response = StoreRequests.forward(store, request)
        String kind = request.method() == HttpMethod.GET ? listKind(request.path) : null
        if (kind == null || response.code() != 200) {
            return response
        }
        Map<String, Object> list = StoreRequests.parse(response.body.readUtf8())
        if (list.kind == 'List') {
            list.kind = kind
        }
        response.setBody(StoreRequests.toJson(list))
    }

    /** {@code SecretList} for {@code /api/v1/namespaces/x/secrets}; null for one object's path. */
    static String listKind(String path) {
        List<String> parts = path.replaceAll('\\?.*$', '').split('/').findAll { it }
        String groupVersion
        List<String> rest
        if (parts.size() >= 3 && parts[0] == 'api') {
            groupVersion = parts[1]
            rest = parts.drop(2)
        } else if (parts.size() >= 4 && parts[0] == 'apis') {
            groupVersion = "${parts[1]}/${parts[2]}"
            rest = parts.drop(3)
        } else {
            return null
        }
        if (rest.size() >= 2 && rest[0] == 'namespaces' && rest.size() != 2) {
            rest = rest.drop(2)
        }
        if (rest.size() != 1) {
            return null
        }
        List<Object> resource = DiscoveryRoute.RESOURCES[groupVersion]?.find { it[0] == rest[0] }
        resource == null ? null : "${resource[1]}List"
    }
}
