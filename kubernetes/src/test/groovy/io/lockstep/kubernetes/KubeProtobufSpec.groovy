package io.lockstep.kubernetes

import spock.lang.Specification

/** The protobuf reader and the Secret/ConfigMap decoding, on bytes built here field by field. */
class KubeProtobufSpec extends Specification {

    /** A length-delimited field: key, varint length, bytes. */
    private static byte[] field(int number, byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream()
        varint(out, (number << 3) | 2)
        varint(out, bytes.length)
        out.write(bytes)
        out.toByteArray()
    }

    private static byte[] field(int number, String text) {
        field(number, text.getBytes('UTF-8'))
    }

    private static byte[] varintField(int number, long value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream()
        varint(out, number << 3)
        varint(out, value)
        out.toByteArray()
    }

    private static void varint(ByteArrayOutputStream out, long value) {
        while ((value & ~0x7fL) != 0) {
            out.write((int) ((value & 0x7f) | 0x80))
            value >>>= 7
        }
        out.write((int) value)
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream()
        parts.each { out.write(it) }
        out.toByteArray()
    }

    private static byte[] entry(int number, String key, byte[] value) {
        field(number, concat(field(1, key), field(2, value)))
    }

    private static byte[] envelope(String apiVersion, String kind, byte[] raw) {
        concat(KubeProtobuf.MAGIC, field(1, concat(field(1, apiVersion), field(2, kind))), field(2, raw),
                field(4, 'application/vnd.kubernetes.protobuf'))
    }

    def "the reader returns varints (also multi-byte), text and nested messages in order"() {
        given:
        byte[] bytes = concat(varintField(1, 300), field(2, 'abc'), varintField(3, 1L << 40), field(4, field(1, 'inner')))

        when:
        List<ProtoReader.Field> fields = new ProtoReader(bytes).fields()

        then:
        fields*.number == [1, 2, 3, 4]
        fields[0].varint == 300
        fields[1].text() == 'abc'
        fields[2].varint == 1L << 40
        fields[3].message().next().text() == 'inner'
    }

    def "a length past the end fails naming the field and offset"() {
        when:
        new ProtoReader([0x12, 0x05, 0x61] as byte[]).next()

        then:
        IllegalArgumentException e = thrown()
        e.message == 'field 2 claims 5 bytes at offset 2, past the end (3)'
    }

    def "a release Secret as Helm sends it becomes the JSON Secret the store keeps"() {
        given:
        byte[] release = 'H4sIAAAA-release'.bytes
        byte[] metadata = concat(field(1, 'sh.helm.release.v1.portal.v1'), field(3, 'tyk'), field(6, '7'),
                entry(11, 'owner', 'helm'.bytes), entry(11, 'status', 'deployed'.bytes), entry(12, 'note', 'x'.bytes))
        byte[] secret = concat(field(1, metadata), entry(2, 'release', release), field(3, 'helm.sh/release.v1'), varintField(5, 1))

        expect:
        KubeProtobuf.decode(envelope('v1', 'Secret', secret)) == [
                apiVersion: 'v1', kind: 'Secret',
                metadata  : [name: 'sh.helm.release.v1.portal.v1', namespace: 'tyk', resourceVersion: '7',
                             labels: [owner: 'helm', status: 'deployed'], annotations: [note: 'x']],
                data      : [release: release.encodeBase64().toString()],
                type      : 'helm.sh/release.v1',
                immutable : true]
    }

    def "a ConfigMap (Helm's configmap driver) keeps its text data as text"() {
        given:
        byte[] map = concat(field(1, field(1, 'cm')), entry(2, 'release', 'abc'.bytes))

        expect:
        KubeProtobuf.decode(envelope('v1', 'ConfigMap', map)) == [apiVersion: 'v1', kind: 'ConfigMap', metadata: [name: 'cm'], data: [release: 'abc']]
    }

    def "another kind, or a body without the magic, is refused with what was sent"() {
        when:
        KubeProtobuf.decode(body)

        then:
        IllegalArgumentException e = thrown()
        e.message == message

        where:
        body                                                   || message
        envelope('apps/v1', 'Deployment', field(1, field(1, 'd'))) || 'the fake API server decodes protobuf Secrets and ConfigMaps only, not apps/v1/Deployment'
        '{"kind":"Secret"}'.bytes                              || 'body does not start with the Kubernetes protobuf magic k8s\\0'
    }
}
