package io.lockstep.steps.logs;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Checks log lines against {@link LogRules} one at a time, keeping only counters and the first
 * offending lines, so a log of any size is scanned in flat memory. Lines without a timestamp (stack
 * traces, continuation lines) are dated by the last timestamp seen before them.
 *
 * <pre>{@code
 * LogScanner scanner = new LogScanner(rules);
 * lines.forEach(scanner::accept);
 * LogScanResult result = scanner.result();
 * }</pre>
 *
 * Not thread-safe: feed it from one thread.
 */
public final class LogScanner {

  /** Offending lines kept for the report; later ones are only counted. */
  public static final int MAX_ERROR_LINES = 20;

  /** Characters of an offending line kept for the report. */
  public static final int MAX_LINE_CHARS = 1000;

  private final LogRules rules;
  private final LineMatcher[] errors;
  private final LineMatcher[] expected;
  private final boolean fold;
  private final boolean[] found;
  private final List<LogLine> errorLines = new ArrayList<>();
  private int missing;
  private long linesRead;
  private long linesScanned;
  private long linesUndated;
  private long errorCount;
  private Instant current;

  public LogScanner(LogRules rules) {
    this.rules = rules;
    this.errors = rules.errors().stream().map(LineMatcher::new).toArray(LineMatcher[]::new);
    this.expected = rules.expected().stream().map(LineMatcher::new).toArray(LineMatcher[]::new);
    this.fold =
        Stream.concat(Arrays.stream(errors), Arrays.stream(expected)).anyMatch(LineMatcher::folded);
    this.found = new boolean[expected.length];
    this.missing = expected.length;
  }

  /**
   * Reads a whole stream of UTF-8 lines (container logs, command output) and returns the result.
   */
  public static LogScanResult scan(InputStream in, LogRules rules) throws IOException {
    LogScanner scanner = new LogScanner(rules);
    LineSplitter lines = new LineSplitter(scanner::accept);
    byte[] buffer = new byte[64 * 1024];
    int n;
    while ((n = in.read(buffer)) > 0) {
      lines.feed(buffer, 0, n);
    }
    lines.finish();
    return scanner.result();
  }

  /** Checks the next line of the log. */
  public void accept(String line) {
    linesRead++;
    if (rules.since() != null) {
      Instant time = rules.timestamps().extract(line);
      if (time != null) {
        current = time;
      }
      if (current == null) {
        linesUndated++;
        return;
      }
      if (!rules.counts(current)) {
        return;
      }
    }
    linesScanned++;
    String lower = fold ? line.toLowerCase(Locale.ROOT) : line;
    for (LineMatcher error : errors) {
      if (error.find(line, lower)) {
        errorCount++;
        if (errorLines.size() < MAX_ERROR_LINES) {
          String text =
              line.length() <= MAX_LINE_CHARS ? line : line.substring(0, MAX_LINE_CHARS) + "...";
          errorLines.add(new LogLine(linesRead, text));
        }
        break;
      }
    }
    if (missing > 0) {
      for (int i = 0; i < found.length; i++) {
        if (!found[i] && expected[i].find(line, lower)) {
          found[i] = true;
          missing--;
        }
      }
    }
  }

  public boolean hasErrors() {
    return errorCount > 0;
  }

  public boolean allExpectedFound() {
    return missing == 0;
  }

  public LogScanResult result() {
    List<String> expectedFound = new ArrayList<>();
    List<String> expectedMissing = new ArrayList<>();
    for (int i = 0; i < found.length; i++) {
      (found[i] ? expectedFound : expectedMissing).add(expected[i].pattern().pattern());
    }
    return new LogScanResult(
        linesRead,
        linesScanned,
        linesUndated,
        rules.since() == null || current != null,
        errorCount,
        errorLines,
        expectedFound,
        expectedMissing);
  }
}
