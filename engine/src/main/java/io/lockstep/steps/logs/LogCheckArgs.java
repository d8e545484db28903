package io.lockstep.steps.logs;

import io.lockstep.engine.model.Step;
import io.lockstep.engine.model.StepContext;
import io.lockstep.engine.spi.ArgSpec;
import io.lockstep.steps.StepArgs;
import io.lockstep.steps.StepFailedException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What every check of a log that is not a file shares ({@code assertContainerLogClean}, {@code
 * assertJournalClean}, ...): the arguments {@code errors}, {@code expect}, {@code since} and {@code
 * follow}, read, checked and shown one way, so the checks of each connector speak alike in plans.
 *
 * @param errors regexes that mark an error line
 * @param expect regexes that must each match a line
 * @param since the id of the step whose start marks the first line that counts, or {@code null} for
 *     the start of this step
 * @param follow how long to keep reading new lines
 */
public record LogCheckArgs(
    List<Pattern> errors, List<Pattern> expect, String since, Duration follow) {

  /** The four arguments, for a step type's {@code arguments()}. */
  public static final List<ArgSpec> ARGUMENTS =
      List.of(
          ArgSpec.optional(
              "errors", List.class, LogRules.DEFAULT_ERRORS, "regexes that mark an error line"),
          ArgSpec.optional("expect", List.class, List.of(), "regexes that must each match a line"),
          ArgSpec.optional(
              "since",
              String.class,
              null,
              "step id: only lines logged after it started (default: since this step began)"),
          ArgSpec.optional(
              "follow", Duration.class, Duration.ZERO, "keep reading new lines this long"));

  /**
   * Reads the four arguments of step {@code id} of type {@code type}.
   *
   * @throws IllegalArgumentException with a message for the user: a bad regex, a negative follow
   */
  public static LogCheckArgs of(String type, String id, Map<String, Object> args) {
    String prefix = type + " '" + id + "': ";
    List<?> errorArg = StepArgs.list(args, "errors");
    List<Pattern> errors =
        StepArgs.patterns(prefix + "errors", errorArg == null ? LogRules.DEFAULT_ERRORS : errorArg);
    List<Pattern> expect = StepArgs.patterns(prefix + "expect", StepArgs.list(args, "expect"));
    Object since = args.get("since");
    Duration follow = StepArgs.duration(args, "follow", Duration.ZERO);
    if (follow.isNegative()) {
      throw new IllegalArgumentException(prefix + "follow must not be negative");
    }
    return new LogCheckArgs(errors, expect, since == null ? null : since.toString(), follow);
  }

  /**
   * The plan's words for what is scanned, after the log's name: {@code " since step 'x' started for
   * 2 error patterns and expected lines [Gateway started], following it up to 20s"}.
   */
  public String describe() {
    return (since == null ? " since this step began" : " since step '" + since + "' started")
        + " for "
        + errors.size()
        + (errors.size() == 1 ? " error pattern" : " error patterns")
        + (expect.isEmpty() ? "" : " and expected lines " + texts(expect))
        + (follow.isZero() ? "" : ", following it up to " + StepArgs.format(follow));
  }

  /** Adds the four arguments, as plans show them, to {@code step}. */
  public Step.Builder addTo(Step.Builder step) {
    step.argument("errors", texts(errors))
        .argument("expect", texts(expect))
        .argument("follow", StepArgs.format(follow));
    if (since != null) {
      step.argument("since", since);
    }
    return step;
  }

  /** Which lines count, in the words of logs and failures: {@code " since this step began"}. */
  public String scope() {
    return since == null ? " since this step began" : " since step '" + since + "' started";
  }

  /**
   * When the lines that count begin: the start of step {@code since}, or of this step.
   *
   * @throws StepFailedException when {@code since} names a step that has not started
   */
  public Instant start(StepContext ctx, String type) {
    if (since == null) {
      return ctx.startedAt();
    }
    Instant start = ctx.stepStartedAt(since);
    if (start == null) {
      throw new StepFailedException(
          type + ": since refers to step '" + since + "', which has not started");
    }
    return start;
  }

  /**
   * A scanner with these rules, counting lines dated from {@code start} on; {@code null} counts
   * every line (for a source that already filtered them, such as {@code journalctl --since}).
   */
  public LogScanner scanner(Instant start) {
    LogRules.Builder rules = LogRules.builder().errorPatterns(errors).expectPatterns(expect);
    return new LogScanner(start == null ? rules.build() : rules.since(start).build());
  }

  /** Whether a followed log can stop early: an error was seen, or every expected line. */
  public boolean decided(LogScanner scanner) {
    return scanner.hasErrors() || !expect.isEmpty() && scanner.allExpectedFound();
  }

  private static List<String> texts(List<Pattern> patterns) {
    return patterns.stream().map(Pattern::pattern).toList();
  }
}
