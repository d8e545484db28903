package io.lockstep.kubernetes

import io.fabric8.mockwebserver.dsl.HttpMethod
import io.fabric8.mockwebserver.http.Dispatcher
import io.fabric8.mockwebserver.http.MockResponse
import io.fabric8.mockwebserver.http.RecordedRequest

/**
 * Helm updates chart objects with a three-way strategic merge patch, which the CRUD store would
 * apply as a JSON merge patch (losing list entries). This route reads the stored object, applies
 * the patch with {@link StrategicMerge}, and stores the result with a PUT.
 */
class StrategicMergeRoute implements FakeKubeApi.Route {

    static final String STRATEGIC = 'application/strategic-merge-patch+json'

    @Override
    MockResponse handle(RecordedRequest request, Dispatcher store) {
        if (request.method() != HttpMethod.PATCH || !(request.getHeader('Content-Type') ?: '').startsWith(STRATEGIC)) {
            return null
        }
        Map<String, Object> current = StoreRequests.get(store, request)
        if (current == null) {
            return StoreRequests.status(404, 'NotFound', "${request.path}: nothing stored to patch")
        }
        Map<String, Object> patch = StoreRequests.parse(request.utf8Body) as Map<String, Object>
        Map<String, Object> merged = StrategicMerge.apply(current, patch)
        StoreRequests.forward(store, StoreRequests.rewrite(request, HttpMethod.PUT, merged))
    }
}
