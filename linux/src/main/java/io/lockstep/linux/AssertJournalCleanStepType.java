package io.lockstep.linux;

import io.lockstep.engine.model.Step;
import io.lockstep.engine.model.StepContext;
import io.lockstep.engine.spi.ArgSpec;
import io.lockstep.engine.spi.StepType;
import io.lockstep.ssh.RemoteHost;
import io.lockstep.steps.StepArgs;
import io.lockstep.steps.StepFailedException;
import io.lockstep.steps.logs.LogRules;
import io.lockstep.steps.logs.LogScanResult;
import io.lockstep.steps.logs.LogScanner;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code assertJournalClean}: scans a systemd unit's journal on a host for error lines and expected
 * lines with the rules of {@code assertLogClean}, counting lines from the second another step
 * started ({@code since}) or, without it, this step; optionally reading it again every 500 ms until
 * the expected lines are there, an error line shows up, or {@code follow} has passed.
 *
 * <pre>{@code
 * assertJournalClean 'gateway-log', unit: 'tyk-gateway.service', since: 'gateway',
 *     expect: ['Gateway started'], follow: '20s'
 * }</pre>
 *
 * Outputs {@code linesScanned}, {@code errorCount}, {@code errorLines}, {@code expectedFound} and
 * {@code expectedMissing}. Idempotent, nothing to compensate.
 */
public final class AssertJournalCleanStepType implements StepType {

  private static final long POLL_MILLIS = 500;

  private static final List<ArgSpec> ARGUMENTS =
      RemoteHost.withConnectionArguments(
          ArgSpec.required("unit", String.class, "systemd unit whose journal is read"),
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

  @Override
  public String name() {
    return "assertJournalClean";
  }

  @Override
  public String summary() {
    return "fail if a unit's journal on a host since a step has error lines or lacks expected"
        + " lines";
  }

  @Override
  public List<ArgSpec> arguments() {
    return ARGUMENTS;
  }

  @Override
  public Step.Builder create(String id, Map<String, Object> args) {
    String prefix = "assertJournalClean '" + id + "': ";
    Object unit = StepArgs.text(args, "unit");
    if (unit == null || unit.toString().isBlank()) {
      throw new IllegalArgumentException(prefix + "unit must not be empty");
    }
    List<?> errorArg = StepArgs.list(args, "errors");
    List<Pattern> errors =
        StepArgs.patterns(prefix + "errors", errorArg == null ? LogRules.DEFAULT_ERRORS : errorArg);
    List<Pattern> expect = StepArgs.patterns(prefix + "expect", StepArgs.list(args, "expect"));
    Object since = args.get("since");
    Duration follow = StepArgs.duration(args, "follow", Duration.ZERO);
    if (follow.isNegative()) {
      throw new IllegalArgumentException(prefix + "follow must not be negative");
    }
    Map<String, Object> connection = RemoteHost.connection(args);
    Step.Builder step =
        Step.builder(id, ctx -> check(ctx, unit, errors, expect, since, follow, connection))
            .type(name())
            .describe(
                "scan the journal of "
                    + StepArgs.display(unit)
                    + (since == null
                        ? " since this step began"
                        : " since step '" + since + "' started")
                    + " for "
                    + errors.size()
                    + (errors.size() == 1 ? " error pattern" : " error patterns")
                    + (expect.isEmpty() ? "" : " and expected lines " + patterns(expect))
                    + (follow.isZero() ? "" : ", following it up to " + StepArgs.format(follow))
                    + RemoteHost.on(connection))
            .idempotent(true)
            .argument("unit", StepArgs.display(unit))
            .argument("errors", patterns(errors))
            .argument("expect", patterns(expect))
            .argument("follow", StepArgs.format(follow));
    if (since != null) {
      step.argument("since", since.toString());
    }
    connection.forEach((k, v) -> step.argument(k, StepArgs.display(v)));
    return step;
  }

  private static Map<String, Object> check(
      StepContext ctx,
      Object unitArg,
      List<Pattern> errors,
      List<Pattern> expect,
      Object sinceArg,
      Duration follow,
      Map<String, Object> connection)
      throws Exception {
    String unit = ctx.resolveText(unitArg);
    String sinceStep = sinceArg == null ? null : ctx.resolveText(sinceArg);
    Instant since = ctx.startedAt();
    if (sinceStep != null) {
      since = ctx.stepStartedAt(sinceStep);
      if (since == null) {
        throw new StepFailedException(
            "assertJournalClean: since refers to step '" + sinceStep + "', which has not started");
      }
    }
    RemoteHost host = RemoteHost.resolve(ctx, connection, "assertJournalClean " + unit);
    // journalctl takes whole seconds here: lines of the second the step started count too.
    List<String> argv =
        List.of(
            "journalctl",
            "-u",
            unit,
            "--since",
            "@" + since.getEpochSecond(),
            "-o",
            "short-iso",
            "--no-pager",
            "-q");
    LogRules rules = LogRules.builder().errorPatterns(errors).expectPatterns(expect).build();
    long deadline = System.nanoTime() + follow.toNanos();
    LogScanResult result;
    while (true) {
      RemoteHost.Result r = host.run(argv, true, false);
      if (!r.ok()) {
        throw new StepFailedException(
            "assertJournalClean: journalctl -u " + unit + " on " + host.address() + r.failure());
      }
      LogScanner scanner = new LogScanner(rules);
      r.stdout().lines().forEach(scanner::accept);
      result = scanner.result();
      boolean done = scanner.hasErrors() || expect.isEmpty() || scanner.allExpectedFound();
      if (done || System.nanoTime() >= deadline) {
        break;
      }
      if (ctx.cancellation().isCancelled()) {
        throw new java.util.concurrent.CancellationException(ctx.cancellation().reason());
      }
      Thread.sleep(POLL_MILLIS);
    }
    String scope =
        sinceStep == null ? " since this step began" : " since step '" + sinceStep + "' started";
    result.errorLines().forEach(line -> ctx.log("error line " + line));
    ctx.log(
        "scanned "
            + result.linesScanned()
            + " journal lines of "
            + unit
            + " on "
            + host.address()
            + scope
            + ": "
            + result.errorCount()
            + " error lines, expected found "
            + result.expectedFound()
            + ", missing "
            + result.expectedMissing());
    if (!result.clean()) {
      throw new StepFailedException(
          "journal of "
              + unit
              + " on "
              + host.address()
              + scope
              + " is not clean: "
              + result.problems());
    }
    return result.outputs();
  }

  private static List<String> patterns(List<Pattern> patterns) {
    return patterns.stream().map(Pattern::pattern).toList();
  }
}
