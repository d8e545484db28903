package io.lockstep.steps.logs;

import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Reads a log file's lines with one fixed buffer, and keeps reading what is appended, like {@code
 * tail -f}: call {@link #readAvailable()} again later. A file truncated in place is read again from
 * its start; a file replaced by a new one (rotation by rename) is followed to the new file.
 */
public final class LogFileReader implements Closeable {

  private static final int BUFFER_BYTES = 256 * 1024;

  private final Path file;
  private final LineSplitter lines;
  private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES);
  private FileChannel channel;
  private Object fileKey;
  private long position;

  public LogFileReader(Path file, Consumer<String> sink) throws IOException {
    this.file = file;
    this.lines = new LineSplitter(sink);
    open();
  }

  /**
   * Hands every complete line available now to the sink; a last line without its newline waits for
   * the next call or for {@link #finish()}.
   *
   * @return bytes read
   */
  public long readAvailable() throws IOException {
    long read = 0;
    if (channel.size() < position) {
      position = 0;
    }
    read += drain();
    if (replaced()) {
      channel.close();
      open();
      read += drain();
    }
    return read;
  }

  /** Hands over the last line even if it has no newline yet. */
  public void finish() {
    lines.finish();
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }

  private long drain() throws IOException {
    long read = 0;
    while (true) {
      if (Thread.currentThread().isInterrupted()) {
        throw new InterruptedIOException("interrupted while reading " + file);
      }
      buffer.clear();
      int n = channel.read(buffer, position);
      if (n <= 0) {
        return read;
      }
      position += n;
      read += n;
      lines.feed(buffer.array(), 0, n);
    }
  }

  private void open() throws IOException {
    channel = FileChannel.open(file, StandardOpenOption.READ);
    fileKey = key();
    position = 0;
  }

  private boolean replaced() {
    try {
      Object now = key();
      return now != null && !Objects.equals(now, fileKey);
    } catch (IOException e) {
      // the old file was moved away and no new one exists yet: keep the old one
      return false;
    }
  }

  private Object key() throws IOException {
    return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
  }
}
