package io.lockstep.kubernetes

import io.fabric8.mockwebserver.http.Dispatcher
import io.fabric8.mockwebserver.http.MockResponse
import io.fabric8.mockwebserver.http.RecordedRequest

/**
 * The discovery documents client-go reads before it maps a manifest's kinds to paths ({@code
 * /version}, {@code /api}, {@code /apis}, {@code /api/v1}, {@code /apis/apps/v1}), which the CRUD
 * store would answer with a list of stored objects, and an OpenAPI v2 document without
 * definitions for Helm's client-side validation ({@link #openApiV2}); {@code /openapi/v3} is 404.
 */
class DiscoveryRoute implements FakeKubeApi.Route {

    private static final List<String> VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch']

    /** Resources per group version: plural name, kind, namespaced. */
    static final Map<String, List<List<Object>>> RESOURCES = [
            'v1'     : [['secrets', 'Secret', true], ['configmaps', 'ConfigMap', true], ['services', 'Service', true],
                        ['serviceaccounts', 'ServiceAccount', true], ['pods', 'Pod', true],
                        ['persistentvolumeclaims', 'PersistentVolumeClaim', true], ['namespaces', 'Namespace', false]],
            'apps/v1': [['deployments', 'Deployment', true], ['statefulsets', 'StatefulSet', true],
                        ['daemonsets', 'DaemonSet', true], ['replicasets', 'ReplicaSet', true]],
    ]

    @Override
    MockResponse handle(RecordedRequest request, Dispatcher store) {
        String path = request.path.replaceAll('\\?.*$', '')
        if (path == '/openapi/v2') {
            return new MockResponse().setResponseCode(200).setBody(openApiV2())
                    .setHeader('Content-Type', 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf')
        }
        if (path.startsWith('/openapi/')) {
            return StoreRequests.status(404, 'NotFound', "the fake API server serves no ${path}")
        }
        Object body = document(path)
        body == null ? null : StoreRequests.json(new MockResponse().setResponseCode(200).setBody(StoreRequests.toJson(body)))
    }

    /**
     * An OpenAPI v2 document (gnostic's openapi_v2.Document in protobuf, the only encoding client-go
     * reads) with swagger "2.0", an info {title, version} and no definitions: client-side
     * validation finds no schema for any kind and skips it, as it does for unknown kinds on a real
     * server. Helm fails its upgrade when neither /openapi/v3 nor /openapi/v2 answers.
     */
    static byte[] openApiV2() {
        ByteArrayOutputStream out = new ByteArrayOutputStream()
        writeText(out, 1, '2.0')
        ByteArrayOutputStream info = new ByteArrayOutputStream()
        writeText(info, 1, 'Kubernetes')
        writeText(info, 2, 'v1.30.0')
        out.write(2 << 3 | 2)
        out.write(info.size())
        info.writeTo(out)
        out.toByteArray()
    }

    /** A short length-delimited field (under 128 bytes, so its length is one varint byte). */
    private static void writeText(ByteArrayOutputStream out, int number, String text) {
        byte[] bytes = text.getBytes('UTF-8')
        out.write(number << 3 | 2)
        out.write(bytes.length)
        out.write(bytes)
    }

    private static Object document(String path) {
        switch (path) {
            case '/version':
                return [major: '1', minor: '30', gitVersion: 'v1.30.0', platform: 'linux/amd64']
            case '/api':
                return [kind: 'APIVersions', versions: ['v1'],
                        serverAddressByClientCIDRs: [[clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1']]]
            case '/apis':
                return [kind: 'APIGroupList', apiVersion: 'v1', groups: RESOURCES.keySet().findAll { it.contains('/') }.collect { gv ->
                    def (group, version) = gv.split('/')
                    [name: group, versions: [[groupVersion: gv, version: version]], preferredVersion: [groupVersion: gv, version: version]]
                }]
        }
        String groupVersion = path == '/api/v1' ? 'v1' : path.startsWith('/apis/') ? path.substring(6) : null
        List<List<Object>> resources = RESOURCES[groupVersion]
        if (resources == null) {
            return null
        }
        [kind: 'APIResourceList', apiVersion: 'v1', groupVersion: groupVersion, resources: resources.collect { name, kind, namespaced ->
            [name: name, singularName: kind.toLowerCase(), namespaced: namespaced, kind: kind, verbs: VERBS]
        }]
    }
}
