package io.lockstep.steps

import com.sun.net.httpserver.HttpExchange
import com.sun.net.httpserver.HttpServer
import io.lockstep.engine.model.OutputRef
import io.lockstep.engine.model.SecretRef
import io.lockstep.engine.model.Template
import io.lockstep.engine.model.Step
import io.lockstep.steps.http.HttpCheckStepType
import spock.lang.Specification
import spock.lang.TempDir
import spock.lang.Unroll

import java.nio.charset.StandardCharsets
import java.nio.file.Path
import java.time.Duration
import java.util.concurrent.CancellationException
import java.util.concurrent.CompletableFuture
import java.util.concurrent.CopyOnWriteArrayList
import java.util.concurrent.ExecutionException
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicInteger

class HttpCheckStepSpec extends Specification {

    @TempDir
    Path dir

    TestStepContext ctx
    HttpServer server
    AtomicInteger requests = new AtomicInteger()
    List<String> authorizations = new CopyOnWriteArrayList<>()
    volatile int unhealthyRequests = 0
    volatile String healthyBody = '{"status":"ok","version":"5.3.1"}'

    def setup() {
        ctx = new TestStepContext(dir)
        server = HttpServer.create(new InetSocketAddress(InetAddress.loopbackAddress, 0), 0)
        server.createContext('/health') { HttpExchange exchange ->
            int n = requests.incrementAndGet()
            authorizations << (exchange.requestHeaders.getFirst('Authorization') ?: '')
            boolean healthy = n > unhealthyRequests
            respond(exchange, healthy ? 200 : 503, healthy ? healthyBody : 'starting')
        }
        server.createContext('/big') { HttpExchange exchange ->
            respond(exchange, 200, 'x' * 10_000 + ' marker')
        }
        server.start()
    }

    def cleanup() {
        server?.stop(0)
    }

    private static void respond(HttpExchange exchange, int status, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8)
        exchange.responseHeaders.add('Content-Type', 'application/json; charset=utf-8')
        exchange.sendResponseHeaders(status, bytes.length)
        exchange.responseBody.withCloseable { it.write(bytes) }
    }

    private String url(String path) {
        "http://127.0.0.1:${server.address.port}$path"
    }

    private static Step step(Map args) {
        Map defaults = [method: 'GET', expectStatus: 200, headers: [:], retries: 0,
                        interval: Duration.ofMillis(20), requestTimeout: Duration.ofSeconds(5)]
        new HttpCheckStepType().create('verify/health', defaults + args).build()
    }

    def "retries until the endpoint turns healthy"() {
        given:
        unhealthyRequests = 3
        Step step = step(url: url('/health'), retries: 10, expectBody: '"status":"ok"')

        when:
        Map outputs = step.action().execute(ctx)

        then:
        outputs == [status: 200, body: healthyBody, attempts: 4]
        ctx.lines == [
                "attempt 1/11: GET ${url('/health')} -> status 503 (expected status 200 and a body matching /\"status\":\"ok\"/)".toString(),
                "attempt 2/11: GET ${url('/health')} -> status 503 (expected status 200 and a body matching /\"status\":\"ok\"/)".toString(),
                "attempt 3/11: GET ${url('/health')} -> status 503 (expected status 200 and a body matching /\"status\":\"ok\"/)".toString(),
                "attempt 4/11: GET ${url('/health')} -> 200, as expected".toString()]
        step.idempotent()
        step.description() == "GET ${url('/health')} expecting status 200 and a body matching /\"status\":\"ok\"/, up to 11 attempts every 20ms"
    }

    def "fails after the last attempt, saying what was expected and what came back"() {
        given:
        unhealthyRequests = 100
        Step step = step(url: url('/health'), retries: 2)

        when:
        step.action().execute(ctx)

        then:
        StepFailedException e = thrown()
        e.message == "httpCheck GET ${url('/health')} failed after 3 attempts: expected status 200, got status 503"
        requests.get() == 3
    }

    def "a body that does not match fails with an excerpt of it"() {
        given:
        healthyBody = '{"status":"degraded"}'
        Step step = step(url: url('/health'), expectBody: '"status":"ok"')

        when:
        step.action().execute(ctx)

        then:
        StepFailedException e = thrown()
        e.message == "httpCheck GET ${url('/health')} failed after 1 attempt: expected status 200 and a body matching /\"status\":\"ok\"/, got status 200 with a body not matching: \"{\"status\":\"degraded\"}\""
    }

    def "expectBody may name an earlier step's output: the regex is made when the check runs"() {
        given: 'the version noted before the upgrade'
        ctx.finished['preflight/version'] = [body: '5.3.1']
        Step step = step(url: url('/health'),
            expectBody: new Template(['"version":"', new OutputRef('preflight/version', 'body'), '"']))

        expect: 'the plan shows the reference, not a value'
        step.arguments().expectBody == '"version":"${output:preflight/version.body}"'
        step.action().execute(ctx).status == 200

        when: 'another version answers'
        ctx.finished['preflight/version'] = [body: '5.2.5']
        step.action().execute(ctx)

        then:
        StepFailedException e = thrown()
        e.message.contains('expected status 200 and a body matching /"version":"5.2.5"/, got status 200 with a body not matching')
    }

    def "capture notes a value of the body as the output captured, and a body without it is retried"() {
        given:
        unhealthyRequests = 0
        Step step = step(url: url('/health'), capture: '"version":"([^"]+)"', retries: 2)

        expect:
        step.arguments().capture == '"version":"([^"]+)"'
        step.action().execute(ctx).captured == '5.3.1'

        when:
        healthyBody = '{"status":"ok"}'
        step.action().execute(ctx)

        then:
        StepFailedException e = thrown()
        e.message.endsWith('got status 200 with a body without a match for capture /"version":"([^"]+)"/: "{"status":"ok"}"')
    }

    def "an output the referenced step does not have fails the check, naming the outputs it has"() {
        given:
        ctx.finished['preflight/version'] = [status: 200, body: '5.3.1']
        Step step = step(url: url('/health'), expectBody: new OutputRef('preflight/version', 'bdy'))

        when:
        step.action().execute(ctx)

        then:
        IllegalStateException e = thrown()
        e.message == "step preflight/version has no output 'bdy' (it has: status, body)"
        requests.get() == 0
    }

    def "connection refused is retried and reported"() {
        given:
        int port = new ServerSocket(0, 1, InetAddress.loopbackAddress).withCloseable { it.localPort }
        Step step = step(url: "http://127.0.0.1:$port/health", retries: 1)

        when:
        step.action().execute(ctx)

        then:
        StepFailedException e = thrown()
        e.message == "httpCheck GET http://127.0.0.1:$port/health failed after 2 attempts: expected status 200, got connection refused"
        ctx.lines.size() == 2
    }

    def "the body kept in the outputs is the first 4 KiB; the match searches all of it"() {
        when:
        Map outputs = step(url: url('/big'), expectBody: 'marker$').action().execute(ctx)

        then:
        outputs.body == 'x' * 4096
        outputs.attempts == 1
    }

    def "secret headers are resolved at run time and shown by name in the plan"() {
        given:
        ctx.secrets.token = 'abc123'
        Step step = step(url: url('/health'), headers: [Authorization: new SecretRef('token')])

        when:
        step.action().execute(ctx)

        then:
        authorizations == ['abc123']
        step.arguments().headers == [Authorization: '${secret:token}']
        !step.description().contains('abc123')
    }

    def "a cancelled check stops between attempts"() {
        given:
        unhealthyRequests = 1_000_000
        Step step = step(url: url('/health'), retries: 1000, interval: Duration.ofMillis(200))
        CompletableFuture<Map> running = CompletableFuture.supplyAsync { step.action().execute(ctx) }

        when:
        while (requests.get() < 2) {
            Thread.sleep(10)
        }
        ctx.cancel('run cancelled')
        running.get(30, TimeUnit.SECONDS)

        then:
        ExecutionException e = thrown()
        e.cause instanceof CancellationException
        e.cause.message == 'run cancelled'
    }

    @Unroll
    def "url #url is rejected: #message"() {
        when:
        step(url: url)

        then:
        IllegalArgumentException e = thrown()
        e.message == message

        where:
        url                 || message
        'ftp://host/x'      || "httpCheck 'verify/health': url must be an http or https URL with a host, got 'ftp://host/x'"
        'localhost:8080'    || "httpCheck 'verify/health': url must be an http or https URL with a host, got 'localhost:8080'"
        'http://a b/'       || "httpCheck 'verify/health': invalid url 'http://a b/': Illegal character in authority"
    }

    def "a bad expectBody regex is rejected when the step is created"() {
        when:
        step(url: 'http://127.0.0.1/', expectBody: '(unclosed')

        then:
        IllegalArgumentException e = thrown()
        e.message == "httpCheck 'verify/health': expectBody: invalid regular expression '(unclosed': Unclosed group"
    }
}
