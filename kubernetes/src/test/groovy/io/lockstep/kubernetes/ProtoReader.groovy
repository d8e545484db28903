package io.lockstep.kubernetes

/**
 * Reads protocol buffer wire format: varints and length-delimited fields, which is all the
 * Kubernetes core types Helm sends use. Hand-written because the fake API server needs a dozen
 * fields, not protobuf-java and generated Kubernetes classes.
 */
class ProtoReader {

    static final int VARINT = 0
    static final int FIXED64 = 1
    static final int LENGTH_DELIMITED = 2
    static final int FIXED32 = 5

    /** One field as read: its number and wire type, with the varint or the bytes it carries. */
    static class Field {
        int number
        int wireType
        long varint
        byte[] bytes

        String text() {
            new String(bytes, 'UTF-8')
        }

        ProtoReader message() {
            new ProtoReader(bytes)
        }
    }

    private final byte[] bytes
    private int position
    private final int end

    ProtoReader(byte[] bytes, int from = 0, int to = bytes.length) {
        this.bytes = bytes
        this.position = from
        this.end = to
    }

    boolean hasNext() {
        position < end
    }

    /** The next field; fixed-width fields are read and kept as their little-endian value. */
    Field next() {
        long key = readVarint()
        Field field = new Field(number: (int) (key >>> 3), wireType: (int) (key & 7))
        switch (field.wireType) {
            case VARINT:
                field.varint = readVarint()
                break
            case LENGTH_DELIMITED:
                int length = (int) readVarint()
                if (length < 0 || position + length > end) {
                    throw new IllegalArgumentException("field ${field.number} claims ${length} bytes at offset ${position}, past the end (${end})")
                }
                field.bytes = Arrays.copyOfRange(bytes, position, position + length)
                position += length
                break
            case FIXED64:
                field.varint = littleEndian(8)
                break
            case FIXED32:
                field.varint = littleEndian(4)
                break
            default:
                throw new IllegalArgumentException("field ${field.number} has wire type ${field.wireType} (groups are not supported) at offset ${position}")
        }
        field
    }

    /** All fields, in order: repeated fields appear once per element. */
    List<Field> fields() {
        List<Field> all = []
        while (hasNext()) {
            all << next()
        }
        all
    }

    private long readVarint() {
        long value = 0
        for (int shift = 0; shift < 64; shift += 7) {
            if (position >= end) {
                throw new IllegalArgumentException("varint runs past the end at offset ${position}")
            }
            int b = bytes[position++] & 0xff
            value |= ((long) (b & 0x7f)) << shift
            if ((b & 0x80) == 0) {
                return value
            }
        }
        throw new IllegalArgumentException("varint longer than 10 bytes at offset ${position}")
    }

    private long littleEndian(int size) {
        if (position + size > end) {
            throw new IllegalArgumentException("fixed field runs past the end at offset ${position}")
        }
        long value = 0
        for (int i = 0; i < size; i++) {
            value |= ((long) (bytes[position++] & 0xff)) << (8 * i)
        }
        value
    }
}
