package io.lockstep.kubernetes

/**
 * Turns a Kubernetes protobuf body ({@code application/vnd.kubernetes.protobuf}) into the JSON
 * object the CRUD store understands. The body is the magic {@code k8s\0}, then a runtime.Unknown
 * (1 TypeMeta {1 apiVersion, 2 kind}, 2 raw object, 3 contentEncoding, 4 contentType). Only the
 * kinds Helm's storage drivers write are decoded: Secret and ConfigMap.
 */
class KubeProtobuf {

    static final byte[] MAGIC = [0x6b, 0x38, 0x73, 0x00] as byte[]

    /** The object as a JSON-ready map; fails naming the kind when it is not one decoded here. */
    static Map<String, Object> decode(byte[] body) {
        if (body.length < MAGIC.length || !Arrays.equals(Arrays.copyOf(body, MAGIC.length), MAGIC)) {
            throw new IllegalArgumentException('body does not start with the Kubernetes protobuf magic k8s\\0')
        }
        String apiVersion = null
        String kind = null
        byte[] raw = null
        ProtoReader unknown = new ProtoReader(body, MAGIC.length, body.length)
        unknown.fields().each { f ->
            if (f.number == 1) {
                f.message().fields().each { t ->
                    if (t.number == 1) apiVersion = t.text()
                    if (t.number == 2) kind = t.text()
                }
            } else if (f.number == 2) {
                raw = f.bytes
            }
        }
        if (raw == null) {
            throw new IllegalArgumentException("protobuf envelope of ${apiVersion}/${kind} carries no object")
        }
        switch (kind) {
            case 'Secret': return secret(apiVersion, raw)
            case 'ConfigMap': return configMap(apiVersion, raw)
            default:
                throw new IllegalArgumentException("the fake API server decodes protobuf Secrets and ConfigMaps only, not ${apiVersion}/${kind}")
        }
    }

    /** Secret: 1 metadata, 2 data map<string,bytes>, 3 type, 4 stringData, 5 immutable. */
    static Map<String, Object> secret(String apiVersion, byte[] raw) {
        Map<String, Object> secret = [apiVersion: apiVersion ?: 'v1', kind: 'Secret']
        Map<String, String> data = [:]
        Map<String, String> stringData = [:]
        new ProtoReader(raw).fields().each { f ->
            switch (f.number) {
                case 1: secret.metadata = metadata(f.bytes); break
                case 2: def e = entry(f.bytes); data[e.key] = e.value.encodeBase64().toString(); break
                case 3: secret.type = f.text(); break
                case 4: def e = entry(f.bytes); stringData[e.key] = new String(e.value, 'UTF-8'); break
                case 5: secret.immutable = f.varint != 0; break
            }
        }
        if (data) secret.data = data
        if (stringData) secret.stringData = stringData
        secret
    }

    /** ConfigMap: 1 metadata, 2 data map<string,string>, 3 binaryData, 4 immutable. */
    static Map<String, Object> configMap(String apiVersion, byte[] raw) {
        Map<String, Object> map = [apiVersion: apiVersion ?: 'v1', kind: 'ConfigMap']
        Map<String, String> data = [:]
        Map<String, String> binary = [:]
        new ProtoReader(raw).fields().each { f ->
            switch (f.number) {
                case 1: map.metadata = metadata(f.bytes); break
                case 2: def e = entry(f.bytes); data[e.key] = new String(e.value, 'UTF-8'); break
                case 3: def e = entry(f.bytes); binary[e.key] = e.value.encodeBase64().toString(); break
                case 4: map.immutable = f.varint != 0; break
            }
        }
        if (data) map.data = data
        if (binary) map.binaryData = binary
        map
    }

    /**
     * ObjectMeta: 1 name, 2 generateName, 3 namespace, 5 uid, 6 resourceVersion, 11 labels,
     * 12 annotations. Timestamps, owners and managed fields are the store's business: skipped.
     */
    static Map<String, Object> metadata(byte[] raw) {
        Map<String, Object> meta = [:]
        Map<String, String> labels = [:]
        Map<String, String> annotations = [:]
        new ProtoReader(raw).fields().each { f ->
            switch (f.number) {
                case 1: meta.name = f.text(); break
                case 2: meta.generateName = f.text(); break
                case 3: meta.namespace = f.text(); break
                case 5: meta.uid = f.text(); break
                case 6: meta.resourceVersion = f.text(); break
                case 11: def e = entry(f.bytes); labels[e.key] = new String(e.value, 'UTF-8'); break
                case 12: def e = entry(f.bytes); annotations[e.key] = new String(e.value, 'UTF-8'); break
            }
        }
        if (labels) meta.labels = labels
        if (annotations) meta.annotations = annotations
        meta.findAll { k, v -> v != '' } as Map<String, Object>
    }

    /** A map entry: 1 key, 2 value (as bytes; the caller knows whether it is text). */
    private static Map.Entry<String, byte[]> entry(byte[] raw) {
        String key = ''
        byte[] value = new byte[0]
        new ProtoReader(raw).fields().each { f ->
            if (f.number == 1) key = f.text()
            if (f.number == 2) value = f.bytes
        }
        new AbstractMap.SimpleImmutableEntry<String, byte[]>(key, value)
    }
}
