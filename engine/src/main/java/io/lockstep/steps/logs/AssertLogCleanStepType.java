package io.lockstep.steps.logs;

import io.lockstep.engine.model.Step;
import io.lockstep.engine.model.StepContext;
import io.lockstep.engine.spi.ArgSpec;
import io.lockstep.engine.spi.StepType;
import io.lockstep.steps.StepArgs;
import io.lockstep.steps.StepFailedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code assertLogClean}: scans a local log file for error lines and expected lines, optionally
 * only what was written since another step started, and optionally following the file while the
 * service starts.
 *
 * <pre>{@code
 * assertLogClean 'log', file: 'logs/service.log', expect: ['started version'], since: 'upgrade/start'
 * }</pre>
 *
 * Outputs {@code linesScanned}, {@code errorCount}, {@code errorLines} (the first {@value
 * LogScanner#MAX_ERROR_LINES} as {@code "<lineNo>: <line>"}), {@code expectedFound} and {@code
 * expectedMissing}. Idempotent, nothing to compensate.
 */
public final class AssertLogCleanStepType implements StepType {

  private static final long POLL_MILLIS = 100;

  private static final List<ArgSpec> ARGUMENTS =
      List.of(
          ArgSpec.required("file", String.class, "log file to scan"),
          ArgSpec.optional(
              "errors", List.class, LogRules.DEFAULT_ERRORS, "regexes that mark an error line"),
          ArgSpec.optional("expect", List.class, List.of(), "regexes that must each match a line"),
          ArgSpec.optional(
              "since", String.class, null, "step id: only lines written after it started"),
          ArgSpec.optional(
              "follow", Duration.class, Duration.ZERO, "keep reading appended lines this long"));

  @Override
  public String name() {
    return "assertLogClean";
  }

  @Override
  public String summary() {
    return "fail if a log file has error lines or lacks expected lines (optionally since a step)";
  }

  @Override
  public List<ArgSpec> arguments() {
    return ARGUMENTS;
  }

  @Override
  public Step.Builder create(String id, Map<String, Object> args) {
    Object file = args.get("file");
    if (file == null || file.toString().isBlank()) {
      throw new IllegalArgumentException("assertLogClean '" + id + "': file must not be empty");
    }
    List<?> errorArg = StepArgs.list(args, "errors");
    List<Pattern> errors =
        StepArgs.patterns(
            "assertLogClean '" + id + "': errors",
            errorArg == null ? LogRules.DEFAULT_ERRORS : errorArg);
    List<Pattern> expect =
        StepArgs.patterns("assertLogClean '" + id + "': expect", StepArgs.list(args, "expect"));
    Object since = args.get("since");
    Duration follow = StepArgs.duration(args, "follow", Duration.ZERO);
    if (follow.isNegative()) {
      throw new IllegalArgumentException(
          "assertLogClean '" + id + "': follow must not be negative");
    }

    Step.Builder step =
        Step.builder(id, ctx -> check(ctx, file, errors, expect, since, follow))
            .type(name())
            .describe(describe(file, errors, expect, since, follow))
            .idempotent(true)
            .argument("file", StepArgs.display(file))
            .argument("errors", patterns(errors))
            .argument("expect", patterns(expect));
    if (since != null) {
      step.argument("since", since.toString());
    }
    return step.argument("follow", StepArgs.format(follow));
  }

  private static String describe(
      Object file, List<Pattern> errors, List<Pattern> expect, Object since, Duration follow) {
    StringBuilder text =
        new StringBuilder("scan ")
            .append(StepArgs.display(file))
            .append(" for ")
            .append(errors.size())
            .append(errors.size() == 1 ? " error pattern" : " error patterns");
    if (!expect.isEmpty()) {
      text.append(" and expected lines ").append(patterns(expect));
    }
    if (since != null) {
      text.append(" since step '").append(since).append("' started");
    }
    if (!follow.isZero()) {
      text.append(", following it up to ").append(StepArgs.format(follow));
    }
    return text.toString();
  }

  private static Map<String, Object> check(
      StepContext ctx,
      Object fileArg,
      List<Pattern> errors,
      List<Pattern> expect,
      Object sinceArg,
      Duration follow)
      throws IOException, InterruptedException {
    Path file = StepArgs.path(ctx, fileArg);
    String sinceStep = sinceArg == null ? null : ctx.resolveText(sinceArg);
    Instant since = null;
    if (sinceStep != null) {
      since = ctx.stepStartedAt(sinceStep);
      if (since == null) {
        throw new StepFailedException(
            "assertLogClean: since refers to step '" + sinceStep + "', which has not started");
      }
    }
    LogRules rules =
        LogRules.builder().errorPatterns(errors).expectPatterns(expect).since(since).build();
    LogScanner scanner = new LogScanner(rules);
    long deadline = System.nanoTime() + follow.toNanos();

    while (!Files.exists(file)) {
      if (System.nanoTime() - deadline >= 0) {
        throw new StepFailedException(
            "log file "
                + file
                + (follow.isZero()
                    ? " does not exist"
                    : " did not appear within " + StepArgs.format(follow)));
      }
      pause(ctx, deadline);
    }
    long[] lines = {0};
    try (LogFileReader reader =
        new LogFileReader(
            file,
            line -> {
              scanner.accept(line);
              if ((++lines[0] & 0xFFFF) == 0) {
                ctx.cancellation().throwIfCancelled();
              }
            })) {
      read(ctx, reader);
      while (!follow.isZero()
          && !scanner.hasErrors()
          && !(scanner.allExpectedFound() && !expect.isEmpty())
          && System.nanoTime() - deadline < 0) {
        pause(ctx, deadline);
        read(ctx, reader);
      }
      reader.finish();
    }

    LogScanResult result = scanner.result();
    String scope = sinceStep == null ? "" : " since step '" + sinceStep + "' started";
    if (sinceStep != null && !result.timestampsFound() && result.linesRead() > 0) {
      throw new StepFailedException(
          "cannot check "
              + file
              + scope
              + ": none of its "
              + result.linesRead()
              + " lines carries a timestamp this step recognises");
    }
    result.errorLines().forEach(line -> ctx.log("error line " + line));
    ctx.log(
        "scanned "
            + result.linesScanned()
            + " of "
            + result.linesRead()
            + " lines of "
            + file
            + scope
            + ": "
            + result.errorCount()
            + " error lines, expected found "
            + result.expectedFound()
            + ", missing "
            + result.expectedMissing());
    if (!result.clean()) {
      throw new StepFailedException("log " + file + scope + " is not clean: " + result.problems());
    }
    return result.outputs();
  }

  private static void read(StepContext ctx, LogFileReader reader) throws IOException {
    ctx.cancellation().throwIfCancelled();
    reader.readAvailable();
  }

  private static void pause(StepContext ctx, long deadline) throws InterruptedException {
    ctx.cancellation().throwIfCancelled();
    long left = (deadline - System.nanoTime()) / 1_000_000;
    Thread.sleep(Math.max(1, Math.min(POLL_MILLIS, left)));
  }

  private static List<String> patterns(List<Pattern> patterns) {
    return patterns.stream().map(Pattern::pattern).toList();
  }
}
