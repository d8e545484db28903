package io.lockstep.steps;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The last {@code capacity} bytes written to it: a ring buffer, so memory stays flat. Steps that
 * stream a process's output (local commands, exec in a container) keep its tail with it.
 */
public final class OutputTail {

  private final byte[] ring;
  private long written;

  public OutputTail(int capacity) {
    this.ring = new byte[Math.max(0, capacity)];
  }

  public synchronized void write(byte[] bytes) {
    write(bytes, 0, bytes.length);
  }

  public synchronized void write(byte[] bytes, int offset, int length) {
    if (ring.length == 0) {
      written += length;
      return;
    }
    if (length >= ring.length) {
      offset += length - ring.length;
      written += length - ring.length;
      length = ring.length;
    }
    int at = (int) (written % ring.length);
    int first = Math.min(length, ring.length - at);
    System.arraycopy(bytes, offset, ring, at, first);
    System.arraycopy(bytes, offset + first, ring, 0, length - first);
    written += length;
  }

  /**
   * This tail as a stream, for code that copies a process's output into an {@code OutputStream}.
   */
  public OutputStream asStream() {
    return new OutputStream() {
      @Override
      public void write(int b) {
        OutputTail.this.write(new byte[] {(byte) b});
      }

      @Override
      public void write(byte[] bytes, int offset, int length) {
        OutputTail.this.write(bytes, offset, length);
      }
    };
  }

  /** The kept bytes as UTF-8, without a character cut in half at the start. */
  public synchronized String text() {
    int size = (int) Math.min(written, ring.length);
    byte[] tail = new byte[size];
    int start = (int) ((written - size) % Math.max(1, ring.length));
    int first = Math.min(size, ring.length - start);
    System.arraycopy(ring, start, tail, 0, first);
    System.arraycopy(ring, 0, tail, first, size - first);
    int skip = 0;
    if (written > size) {
      while (skip < size && skip < 3 && (tail[skip] & 0xC0) == 0x80) {
        skip++;
      }
    }
    return new String(tail, skip, size - skip, StandardCharsets.UTF_8);
  }
}
