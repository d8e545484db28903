package io.lockstep.steps.logs;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Splits a byte stream into UTF-8 lines with bounded memory: a line longer than the limit keeps its
 * first bytes and notes how many were cut. Feed chunks as they arrive, then call {@link #finish()}.
 *
 * <pre>{@code
 * LineSplitter lines = new LineSplitter(64 * 1024, scanner::accept);
 * while ((n = in.read(buffer)) > 0) lines.feed(buffer, 0, n);
 * lines.finish();
 * }</pre>
 */
public final class LineSplitter {

  /** Longest line kept whole unless told otherwise. */
  public static final int DEFAULT_MAX_LINE_BYTES = 64 * 1024;

  private final int maxLineBytes;
  private final Consumer<String> sink;
  private byte[] pending = new byte[256];
  private int pendingLength;
  private long cut;

  public LineSplitter(int maxLineBytes, Consumer<String> sink) {
    if (maxLineBytes < 1) {
      throw new IllegalArgumentException("maxLineBytes must be positive");
    }
    this.maxLineBytes = maxLineBytes;
    this.sink = sink;
  }

  public LineSplitter(Consumer<String> sink) {
    this(DEFAULT_MAX_LINE_BYTES, sink);
  }

  /** Emits every line completed by these bytes; keeps the unfinished tail for the next chunk. */
  public void feed(byte[] bytes, int offset, int length) {
    int end = offset + length;
    int start = offset;
    for (int i = offset; i < end; i++) {
      if (bytes[i] == '\n') {
        if (pendingLength == 0 && cut == 0) {
          emit(bytes, start, Math.min(i - start, maxLineBytes), i - start - maxLineBytes);
        } else {
          append(bytes, start, i - start);
          emit(pending, 0, pendingLength, cut);
          pendingLength = 0;
          cut = 0;
        }
        start = i + 1;
      }
    }
    if (start < end) {
      append(bytes, start, end - start);
    }
  }

  /** True when bytes of an unfinished line are waiting for their newline. */
  public boolean hasPartialLine() {
    return pendingLength > 0 || cut > 0;
  }

  /** Emits the unfinished last line, if any (a file that does not end with a newline). */
  public void finish() {
    if (hasPartialLine()) {
      emit(pending, 0, pendingLength, cut);
      pendingLength = 0;
      cut = 0;
    }
  }

  private void append(byte[] bytes, int offset, int length) {
    int room = maxLineBytes - pendingLength;
    int kept = Math.min(room, length);
    if (kept > 0) {
      if (pendingLength + kept > pending.length) {
        pending =
            Arrays.copyOf(
                pending,
                Math.min(maxLineBytes, Math.max(pending.length * 2, pendingLength + kept)));
      }
      System.arraycopy(bytes, offset, pending, pendingLength, kept);
      pendingLength += kept;
    }
    cut += length - kept;
  }

  private void emit(byte[] bytes, int offset, int length, long cutBytes) {
    if (length > 0 && bytes[offset + length - 1] == '\r') {
      length--;
    }
    String line = new String(bytes, offset, length, StandardCharsets.UTF_8);
    sink.accept(cutBytes > 0 ? line + " [" + cutBytes + " more bytes]" : line);
  }
}
