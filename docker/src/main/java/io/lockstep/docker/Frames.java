package io.lockstep.docker;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Reads Docker's multiplexed output (logs and exec without a TTY): frames of an 8-byte header
 * (stream 1 stdout or 2 stderr, three zero bytes, big-endian length) and a payload. A TTY's output
 * is one raw stream, read as stdout.
 */
final class Frames {

  /** Receives each chunk of a stream in order. */
  @FunctionalInterface
  interface Sink {
    void accept(boolean stderr, byte[] bytes) throws IOException;
  }

  private Frames() {}

  static void read(InputStream in, boolean tty, Sink sink) throws IOException {
    byte[] buffer = new byte[8192];
    if (tty) {
      int n;
      while ((n = in.read(buffer)) > 0) {
        sink.accept(false, Arrays.copyOf(buffer, n));
      }
      return;
    }
    DataInputStream frames = new DataInputStream(in);
    byte[] header = new byte[8];
    while (true) {
      try {
        frames.readFully(header);
      } catch (EOFException e) {
        return;
      }
      boolean stderr = header[0] == 2;
      int length = ByteBuffer.wrap(header, 4, 4).getInt();
      while (length > 0) {
        int n = frames.read(buffer, 0, Math.min(buffer.length, length));
        if (n < 0) {
          throw new EOFException("the stream ended inside a frame");
        }
        sink.accept(stderr, Arrays.copyOf(buffer, n));
        length -= n;
      }
    }
  }
}
