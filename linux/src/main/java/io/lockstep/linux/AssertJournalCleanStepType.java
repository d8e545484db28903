package io.lockstep.linux;

import io.lockstep.engine.model.Step;
import io.lockstep.engine.model.StepContext;
import io.lockstep.engine.spi.ArgSpec;
import io.lockstep.engine.spi.StepType;
import io.lockstep.ssh.RemoteHost;
import io.lockstep.steps.StepArgs;
import io.lockstep.steps.StepFailedException;
import io.lockstep.steps.logs.LogCheckArgs;
import io.lockstep.steps.logs.LogScanResult;
import io.lockstep.steps.logs.LogScanner;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

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
          Stream.concat(
                  Stream.of(
                      ArgSpec.required("unit", String.class, "systemd unit whose journal is read")),
                  LogCheckArgs.ARGUMENTS.stream())
              .toArray(ArgSpec[]::new));

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
    Object unit = StepArgs.text(args, "unit");
    if (unit == null || unit.toString().isBlank()) {
      throw new IllegalArgumentException(name() + " '" + id + "': unit must not be empty");
    }
    LogCheckArgs check = LogCheckArgs.of(name(), id, args);
    Map<String, Object> connection = RemoteHost.connection(args);
    Step.Builder step =
        Step.builder(id, ctx -> check(ctx, unit, check, connection))
            .type(name())
            .describe(
                "scan the journal of "
                    + StepArgs.display(unit)
                    + check.describe()
                    + RemoteHost.on(connection))
            .idempotent(true)
            .argument("unit", StepArgs.display(unit));
    check.addTo(step);
    connection.forEach((k, v) -> step.argument(k, StepArgs.display(v)));
    return step;
  }

  private static Map<String, Object> check(
      StepContext ctx, Object unitArg, LogCheckArgs check, Map<String, Object> connection)
      throws Exception {
    String unit = ctx.resolveText(unitArg);
    Instant since = check.start(ctx, "assertJournalClean");
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
    long deadline = System.nanoTime() + check.follow().toNanos();
    LogScanResult result;
    while (true) {
      RemoteHost.Result r = host.run(argv, true, false);
      if (!r.ok()) {
        throw new StepFailedException(
            "assertJournalClean: journalctl -u " + unit + " on " + host.address() + r.failure());
      }
      // journalctl filtered by time already: every line it printed counts, read whole each time
      LogScanner scanner = check.scanner(null);
      r.stdout().lines().forEach(scanner::accept);
      result = scanner.result();
      boolean done = check.expect().isEmpty() || check.decided(scanner);
      if (done || System.nanoTime() >= deadline) {
        break;
      }
      if (ctx.cancellation().isCancelled()) {
        throw new java.util.concurrent.CancellationException(ctx.cancellation().reason());
      }
      Thread.sleep(POLL_MILLIS);
    }
    result.errorLines().forEach(line -> ctx.log("error line " + line));
    ctx.log(
        "scanned "
            + result.linesScanned()
            + " journal lines of "
            + unit
            + " on "
            + host.address()
            + check.scope()
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
              + check.scope()
              + " is not clean: "
              + result.problems());
    }
    return result.outputs();
  }
}
