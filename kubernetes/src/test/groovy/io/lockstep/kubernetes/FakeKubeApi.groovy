package io.lockstep.kubernetes

import io.fabric8.kubernetes.client.Config
import io.fabric8.kubernetes.client.KubernetesClient
import io.fabric8.kubernetes.client.KubernetesClientBuilder
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher
import io.fabric8.mockwebserver.MockWebServer
import io.fabric8.mockwebserver.http.Dispatcher
import io.fabric8.mockwebserver.http.MockResponse
import io.fabric8.mockwebserver.http.RecordedRequest

import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.CopyOnWriteArrayList
import java.util.logging.Level
import java.util.logging.Logger

/**
 * The API server the Kubernetes and Helm specs talk to, on 127.0.0.1: no real kube-apiserver can
 * run on these machines (README, "Kubernetes"). fabric8's CRUD dispatcher keeps the objects;
 * {@link Route}s in front of it answer what it cannot (discovery, exec, pod logs, the bodies Helm
 * sends), each in its own class.
 *
 * <p>Nothing runs pods: a spec drives a rollout by writing the status a controller would.
 */
class FakeKubeApi implements Closeable {

    /** Answers a request, or returns null to let the next route (and finally the store) answer. */
    interface Route {
        MockResponse handle(RecordedRequest request, Dispatcher store)
    }

    final KubernetesCrudDispatcher store = new KubernetesCrudDispatcher()
    final List<Route> routes = new CopyOnWriteArrayList<>()
    final List<String> requests = new CopyOnWriteArrayList<>()
    private final MockWebServer server = new MockWebServer()
    private final List<KubernetesClient> clients = new CopyOnWriteArrayList<>()

    /**
     * The mock server logs every request at INFO through java.util.logging: pages per spec. Held
     * here, since java.util.logging keeps loggers only weakly and would forget the level.
     */
    private static final Logger MOCK_SERVER_LOG = Logger.getLogger('io.fabric8.mockwebserver')

    static {
        MOCK_SERVER_LOG.level = Level.WARNING
    }

    static FakeKubeApi start(Route... routes) {
        FakeKubeApi api = new FakeKubeApi()
        api.routes.addAll(routes)
        api.server.setDispatcher(new Dispatcher() {
            @Override
            MockResponse dispatch(RecordedRequest request) {
                api.requests << "${request.method} ${request.path}".toString()
                for (Route route : api.routes) {
                    MockResponse response = route.handle(request, api.store)
                    if (response != null) {
                        return response
                    }
                }
                return api.store.dispatch(request)
            }
        })
        api.server.start(InetAddress.getByName('127.0.0.1'), 0)
        return api
    }

    String url() {
        "http://127.0.0.1:${server.port}"
    }

    /** A kubeconfig with one context, {@code context}, whose namespace is {@code namespace}. */
    Path writeKubeconfig(Path file, String context = 'fake', String namespace = 'default') {
        writeKubeconfig(file, url(), context, namespace)
    }

    /** A kubeconfig for any {@code server}: also one that is not a FakeKubeApi. */
    static Path writeKubeconfig(Path file, String server, String context, String namespace) {
        Files.createDirectories(file.toAbsolutePath().parent)
        Files.writeString(file, """\
            apiVersion: v1
            kind: Config
            clusters:
            - name: fake
              cluster:
                server: ${server}
            contexts:
            - name: ${context}
              context:
                cluster: fake
                namespace: ${namespace}
                user: spec
            current-context: ${context}
            users:
            - name: spec
              user:
                token: spec-token
            """.stripIndent())
        file
    }

    /** A client for the spec itself, to arrange objects and write statuses; closed with the API. */
    KubernetesClient client(String namespace = 'default') {
        Config config = Config.empty()
        config.masterUrl = url()
        config.namespace = namespace
        config.requestRetryBackoffLimit = 0
        KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()
        clients << client
        client
    }

    @Override
    void close() {
        clients.each { it.close() }
        server.shutdown()
    }
}
