package io.lockstep.docker;

import io.lockstep.engine.model.Step;
import io.lockstep.engine.model.StepContext;
import io.lockstep.engine.spi.ArgSpec;
import io.lockstep.engine.spi.StepType;
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
 * {@code assertContainerLogClean}: scans a container's log for error lines and expected lines with
 * the rules of {@code assertLogClean}, counting only lines written since another step started
 * ({@code since}) or, without it, since this step began; optionally following the log while the
 * service starts.
 *
 * <pre>{@code
 * assertContainerLogClean 'portal-log', container: 'portal', since: 'upgrade/recreate',
 *     expect: ['AutoMigrate'], follow: '30s'
 * }</pre>
 *
 * Lines are dated by the timestamp Docker records for each, streamed through {@link LogScanner} one
 * at a time: flat memory. Outputs {@code linesScanned}, {@code errorCount}, {@code errorLines},
 * {@code expectedFound} and {@code expectedMissing}. Idempotent, nothing to compensate.
 */
public final class AssertContainerLogCleanStepType implements StepType {

  private static final List<ArgSpec> ARGUMENTS =
      List.of(
          DockerArgs.CONTAINER,
          ArgSpec.optional(
              "errors", List.class, LogRules.DEFAULT_ERRORS, "regexes that mark an error line"),
          ArgSpec.optional("expect", List.class, List.of(), "regexes that must each match a line"),
          ArgSpec.optional(
              "since",
              String.class,
              null,
              "step id: only lines logged after it started (default: since this step began)"),
          ArgSpec.optional(
              "follow", Duration.class, Duration.ZERO, "keep reading new lines this long"),
          DockerArgs.HOST);

  @Override
  public String name() {
    return "assertContainerLogClean";
  }

  @Override
  public String summary() {
    return "fail if a container's log since a step has error lines or lacks expected lines";
  }

  @Override
  public List<ArgSpec> arguments() {
    return ARGUMENTS;
  }

  @Override
  public Step.Builder create(String id, Map<String, Object> args) {
    Object container = DockerArgs.required(name(), id, args, "container");
    String prefix = "assertContainerLogClean '" + id + "': ";
    List<?> errorArg = StepArgs.list(args, "errors");
    List<Pattern> errors =
        StepArgs.patterns(prefix + "errors", errorArg == null ? LogRules.DEFAULT_ERRORS : errorArg);
    List<Pattern> expect = StepArgs.patterns(prefix + "expect", StepArgs.list(args, "expect"));
    Object since = args.get("since");
    Duration follow = StepArgs.duration(args, "follow", Duration.ZERO);
    if (follow.isNegative()) {
      throw new IllegalArgumentException(prefix + "follow must not be negative");
    }
    Object host = args.get("host");
    Step.Builder step =
        Step.builder(id, ctx -> check(ctx, container, errors, expect, since, follow, host))
            .type(name())
            .describe(
                "scan the log of container "
                    + StepArgs.display(container)
                    + (since == null
                        ? " since this step began"
                        : " since step '" + since + "' started")
                    + " for "
                    + errors.size()
                    + (errors.size() == 1 ? " error pattern" : " error patterns")
                    + (expect.isEmpty() ? "" : " and expected lines " + patterns(expect))
                    + (follow.isZero() ? "" : ", following it up to " + StepArgs.format(follow))
                    + DockerArgs.on(host))
            .idempotent(true)
            .argument("container", StepArgs.display(container))
            .argument("errors", patterns(errors))
            .argument("expect", patterns(expect))
            .argument("follow", StepArgs.format(follow));
    if (since != null) {
      step.argument("since", since.toString());
    }
    if (host != null) {
      step.argument("host", StepArgs.display(host));
    }
    return step;
  }

  private static Map<String, Object> check(
      StepContext ctx,
      Object containerArg,
      List<Pattern> errors,
      List<Pattern> expect,
      Object sinceArg,
      Duration follow,
      Object host)
      throws InterruptedException {
    String name = ctx.resolveText(containerArg);
    String sinceStep = sinceArg == null ? null : ctx.resolveText(sinceArg);
    Instant since = ctx.startedAt();
    if (sinceStep != null) {
      since = ctx.stepStartedAt(sinceStep);
      if (since == null) {
        throw new StepFailedException(
            "assertContainerLogClean: since refers to step '"
                + sinceStep
                + "', which has not started");
      }
    }
    LogRules rules =
        LogRules.builder().errorPatterns(errors).expectPatterns(expect).since(since).build();
    LogScanner scanner = new LogScanner(rules);
    try (Docker docker = DockerArgs.docker(ctx, host)) {
      var container = docker.container(name);
      ContainerLogs.read(
          ctx,
          docker,
          container.path("Id").asText(),
          container.path("Config").path("Tty").asBoolean(),
          since,
          follow.toMillis(),
          () -> scanner.hasErrors() || !expect.isEmpty() && scanner.allExpectedFound(),
          scanner::accept);
    }
    LogScanResult result = scanner.result(); // the stream is closed: no more lines arrive
    String scope =
        sinceStep == null ? " since this step began" : " since step '" + sinceStep + "' started";
    result.errorLines().forEach(line -> ctx.log("error line " + line));
    ctx.log(
        "scanned "
            + result.linesScanned()
            + " lines of container "
            + name
            + scope
            + ": "
            + result.errorCount()
            + " error lines, expected found "
            + result.expectedFound()
            + ", missing "
            + result.expectedMissing());
    if (!result.clean()) {
      throw new StepFailedException(
          "log of container " + name + scope + " is not clean: " + result.problems());
    }
    return result.outputs();
  }

  private static List<String> patterns(List<Pattern> patterns) {
    return patterns.stream().map(Pattern::pattern).toList();
  }
}
