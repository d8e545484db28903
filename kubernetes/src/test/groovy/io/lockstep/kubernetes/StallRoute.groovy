package io.lockstep.kubernetes

import io.fabric8.mockwebserver.http.Dispatcher
import io.fabric8.mockwebserver.http.MockResponse
import io.fabric8.mockwebserver.http.RecordedRequest

import java.time.Duration
import java.util.function.Predicate

/**
 * Answers the requests it matches with headers and then nothing for an hour: a client that waits
 * for the body hangs, as against an API server that stopped answering mid-call.
 */
class StallRoute implements FakeKubeApi.Route {

    private final Predicate<RecordedRequest> matches

    StallRoute(Predicate<RecordedRequest> matches) {
        this.matches = matches
    }

    @Override
    MockResponse handle(RecordedRequest request, Dispatcher store) {
        matches.test(request) ? new MockResponse().setResponseCode(201).setBody('{}').setBodyDelay(Duration.ofHours(1)) : null
    }
}
