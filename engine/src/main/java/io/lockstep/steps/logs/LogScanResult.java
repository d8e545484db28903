package io.lockstep.steps.logs;

import java.util.List;

/**
 * What a {@link LogScanner} found.
 *
 * @param linesRead every line seen, including those before {@code since}
 * @param linesScanned lines checked against the rules
 * @param linesUndated lines skipped because no timestamp preceded them (only with {@code since})
 * @param timestampsFound whether any line carried a timestamp (only looked for with {@code since})
 * @param errorCount lines that matched an error pattern
 * @param errorLines the first {@link LogScanner#MAX_ERROR_LINES} of them
 * @param expectedFound expected patterns that matched a line
 * @param expectedMissing expected patterns that matched no line
 */
public record LogScanResult(
    long linesRead,
    long linesScanned,
    long linesUndated,
    boolean timestampsFound,
    long errorCount,
    List<LogLine> errorLines,
    List<String> expectedFound,
    List<String> expectedMissing) {

  public LogScanResult {
    errorLines = List.copyOf(errorLines);
    expectedFound = List.copyOf(expectedFound);
    expectedMissing = List.copyOf(expectedMissing);
  }

  /** No error line, and every expected pattern found. */
  public boolean clean() {
    return errorCount == 0 && expectedMissing.isEmpty();
  }
}
