package io.lockstep.kubernetes

import com.fasterxml.jackson.databind.ObjectMapper
import io.fabric8.mockwebserver.dsl.HttpMethod
import io.fabric8.mockwebserver.http.Buffer
import io.fabric8.mockwebserver.http.Dispatcher
import io.fabric8.mockwebserver.http.Headers
import io.fabric8.mockwebserver.http.MockResponse
import io.fabric8.mockwebserver.http.RecordedRequest

/**
 * Requests the Helm routes make of fabric8's CRUD store, and the JSON content type on its answers:
 * client-go asks for protobuf first and accepts JSON only when the response says it is JSON.
 */
class StoreRequests {

    private static final ObjectMapper MAPPER = new ObjectMapper()

    static String toJson(Object value) {
        MAPPER.writeValueAsString(value)
    }

    static Map<String, Object> parse(String json) {
        MAPPER.readValue(json, Map)
    }

    static MockResponse json(MockResponse response) {
        response.setHeader('Content-Type', 'application/json')
    }

    static MockResponse forward(Dispatcher store, RecordedRequest request) {
        json(store.dispatch(request))
    }

    /** The same request line and path, another method and a JSON body (or none). */
    static RecordedRequest rewrite(RecordedRequest request, HttpMethod method, Object body) {
        Headers.Builder headers = request.headers.newBuilder()
        headers.set('Content-Type', 'application/json')
        Buffer buffer = new Buffer()
        if (body != null) {
            buffer.writeUtf8(toJson(body))
        }
        headers.set('Content-Length', String.valueOf(buffer.size()))
        // The query (fieldManager, dryRun flags) is for a real server; the store wants the object path.
        String path = request.path.replaceAll('\\?.*$', '')
        new RecordedRequest("${method.name()} ${path} HTTP/1.1", method, path, headers.build(), buffer)
    }

    /** The stored object at the request's path (without the query), or null. */
    static Map<String, Object> get(Dispatcher store, RecordedRequest request) {
        String path = request.path.replaceAll('\\?.*$', '')
        RecordedRequest get = new RecordedRequest("GET ${path} HTTP/1.1", HttpMethod.GET, path,
                Headers.builder().build(), new Buffer())
        MockResponse response = store.dispatch(get)
        if (response.code() != 200) {
            return null
        }
        parse(response.body.readUtf8()) as Map<String, Object>
    }

    static MockResponse status(int code, String reason, String message) {
        json(new MockResponse().setResponseCode(code).setBody(toJson([
                kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: reason, message: message, code: code])))
    }
}
