package io.lockstep.steps.logs;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

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

  /** The outputs every log-checking step returns, whatever the log's source. */
  public Map<String, Object> outputs() {
    Map<String, Object> outputs = new LinkedHashMap<>();
    outputs.put("linesScanned", linesScanned);
    outputs.put("errorCount", errorCount);
    outputs.put("errorLines", errorLines.stream().map(LogLine::toString).toList());
    outputs.put("expectedFound", expectedFound);
    outputs.put("expectedMissing", expectedMissing);
    return outputs;
  }

  /** What makes the log unclean, for a failure message: the first error lines, missing patterns. */
  public String problems() {
    StringBuilder text = new StringBuilder();
    if (errorCount > 0) {
      text.append(errorCount)
          .append(errorCount == 1 ? " error line" : " error lines")
          .append(" (")
          .append(
              errorLines.stream()
                  .limit(5)
                  .map(LogLine::toString)
                  .collect(Collectors.joining(" | ")))
          .append(errorCount > 5 ? " | ..." : "")
          .append(")");
      if (!expectedMissing.isEmpty()) {
        text.append("; ");
      }
    }
    if (!expectedMissing.isEmpty()) {
      text.append("no line matched expected ")
          .append(
              expectedMissing.stream().map(p -> "/" + p + "/").collect(Collectors.joining(", ")));
    }
    return text.toString();
  }
}
