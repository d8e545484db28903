package io.lockstep.bench;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * The cheapest durable append the disk allows: write one journal-sized line, then {@code
 * force(false)}. No journal can beat it; the benchmark reports the journal against it.
 */
final class FsyncFloor implements Closeable {

  /** About the size of a journal record of a no-op step. */
  static final int LINE_BYTES = 150;

  private final Path file;
  private final FileChannel channel;
  private final byte[] line = line();

  private FsyncFloor(Path file) throws IOException {
    this.file = file;
    this.channel = FileChannel.open(file, StandardOpenOption.WRITE);
  }

  /** A scratch file in {@code dir}: the same disk and file system as the store. */
  static FsyncFloor in(Path dir) throws IOException {
    return new FsyncFloor(Files.createTempFile(dir, "fsync-floor-", ".tmp"));
  }

  /** Nanoseconds of each of {@code count} appends, after a short warm-up. */
  long[] measure(int count) throws IOException {
    for (int i = 0; i < Math.min(200, count); i++) {
      append();
    }
    long[] nanos = new long[count];
    for (int i = 0; i < count; i++) {
      long start = System.nanoTime();
      append();
      nanos[i] = System.nanoTime() - start;
    }
    return nanos;
  }

  /** One line, made durable. */
  void append() throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(line);
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
    channel.force(false);
  }

  @Override
  public void close() throws IOException {
    channel.close();
    Files.deleteIfExists(file);
  }

  static double meanMicros(long[] nanos) {
    return Arrays.stream(nanos).average().orElse(0) / 1_000.0;
  }

  static double percentileMicros(long[] nanos, double percentile) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    int index = (int) Math.ceil(percentile * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1_000.0;
  }

  private static byte[] line() {
    StringBuilder text = new StringBuilder("{\"c\":\"00000000\",\"r\":{\"seq\":1,\"data\":\"");
    while (text.length() < LINE_BYTES - 4) {
      text.append('x');
    }
    return text.append("\"}}\n").toString().getBytes(StandardCharsets.US_ASCII);
  }
}
