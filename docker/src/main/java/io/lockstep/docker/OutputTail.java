package io.lockstep.docker;

import java.nio.charset.StandardCharsets;

/** The last {@code capacity} bytes written to it, as a ring: memory stays flat. */
final class OutputTail {

  private final byte[] ring;
  private long written;

  OutputTail(int capacity) {
    this.ring = new byte[Math.max(0, capacity)];
  }

  synchronized void write(byte[] bytes) {
    int offset = 0;
    int length = bytes.length;
    if (ring.length == 0) {
      written += length;
      return;
    }
    if (length >= ring.length) {
      offset = length - ring.length;
      written += offset;
      length = ring.length;
    }
    int at = (int) (written % ring.length);
    int first = Math.min(length, ring.length - at);
    System.arraycopy(bytes, offset, ring, at, first);
    System.arraycopy(bytes, offset + first, ring, 0, length - first);
    written += length;
  }

  /** The kept bytes as UTF-8, trimmed, without a character cut in half at the start. */
  synchronized String text() {
    int size = (int) Math.min(written, ring.length);
    byte[] tail = new byte[size];
    int start = ring.length == 0 ? 0 : (int) ((written - size) % ring.length);
    int first = Math.min(size, ring.length - start);
    System.arraycopy(ring, start, tail, 0, first);
    System.arraycopy(ring, 0, tail, first, size - first);
    int skip = 0;
    while (written > size && skip < size && skip < 3 && (tail[skip] & 0xC0) == 0x80) {
      skip++;
    }
    return new String(tail, skip, size - skip, StandardCharsets.UTF_8).strip();
  }
}
