package io.lockstep.kubernetes

import com.fasterxml.jackson.databind.ObjectMapper
import io.fabric8.mockwebserver.http.Dispatcher
import io.fabric8.mockwebserver.http.MockResponse
import io.fabric8.mockwebserver.http.RecordedRequest

import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.CopyOnWriteArrayList
import java.util.regex.Matcher
import java.util.regex.Pattern

/**
 * Serves {@code GET .../pods/<pod>/log} from text a spec sets per pod, which the CRUD store cannot.
 * It keeps each request's query (container, sinceTime) for the spec to check rather than filtering
 * lines by time itself: the step relies on the server to do that.
 */
class PodLogs implements FakeKubeApi.Route {

    private static final Pattern LOG = Pattern.compile('/api/v1/namespaces/([^/]+)/pods/([^/?]+)/log(?:\\?(.*))?')

    final Map<String, String> logs = new ConcurrentHashMap<>()
    final List<Map<String, String>> queries = new CopyOnWriteArrayList<>()
    /** Pods whose log is refused with HTTP 400 and this message, as for a container not started. */
    final Map<String, String> refusals = new ConcurrentHashMap<>()

    @Override
    MockResponse handle(RecordedRequest request, Dispatcher store) {
        Matcher m = LOG.matcher(request.path)
        if (request.method != 'GET' || !m.matches()) {
            return null
        }
        Map<String, String> query = [pod: m.group(2)]
        (m.group(3) ?: '').split('&').findAll().each {
            def (k, v) = it.split('=', 2) as List
            query[k] = URLDecoder.decode(v ?: '', 'UTF-8')
        }
        queries << query
        String refusal = refusals[m.group(2)]
        if (refusal != null) {
            return new MockResponse().setResponseCode(400).setBody(new ObjectMapper().writeValueAsString(
                    [kind: 'Status', apiVersion: 'v1', status: 'Failure', message: refusal, reason: 'BadRequest', code: 400]))
        }
        String text = logs[m.group(2)]
        text == null
                ? new MockResponse().setResponseCode(404).setBody("pods \"${m.group(2)}\" not found")
                : new MockResponse().setResponseCode(200).setBody(text)
    }
}
