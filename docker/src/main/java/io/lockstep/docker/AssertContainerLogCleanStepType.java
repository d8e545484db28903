package io.lockstep.docker;

import io.lockstep.engine.model.Step;
import io.lockstep.engine.model.StepContext;
import io.lockstep.engine.spi.ArgSpec;
import io.lockstep.engine.spi.StepType;
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
      Stream.of(List.of(DockerArgs.CONTAINER), LogCheckArgs.ARGUMENTS, List.of(DockerArgs.HOST))
          .flatMap(List::stream)
          .toList();

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
    LogCheckArgs check = LogCheckArgs.of(name(), id, args);
    Object host = args.get("host");
    Step.Builder step =
        Step.builder(id, ctx -> check(ctx, container, check, host))
            .type(name())
            .describe(
                "scan the log of container "
                    + StepArgs.display(container)
                    + check.describe()
                    + DockerArgs.on(host))
            .idempotent(true)
            .argument("container", StepArgs.display(container));
    check.addTo(step);
    if (host != null) {
      step.argument("host", StepArgs.display(host));
    }
    return step;
  }

  private static Map<String, Object> check(
      StepContext ctx, Object containerArg, LogCheckArgs check, Object host)
      throws InterruptedException {
    String name = ctx.resolveText(containerArg);
    Instant since = check.start(ctx, "assertContainerLogClean");
    LogScanner scanner = check.scanner(since);
    try (Docker docker = DockerArgs.docker(ctx, host)) {
      var container = docker.container(name);
      ContainerLogs.read(
          ctx,
          docker,
          container.path("Id").asText(),
          container.path("Config").path("Tty").asBoolean(),
          since,
          check.follow().toMillis(),
          () -> check.decided(scanner),
          scanner::accept);
    }
    LogScanResult result = scanner.result(); // the stream is closed: no more lines arrive
    result.errorLines().forEach(line -> ctx.log("error line " + line));
    ctx.log(
        "scanned "
            + result.linesScanned()
            + " lines of container "
            + name
            + check.scope()
            + ": "
            + result.errorCount()
            + " error lines, expected found "
            + result.expectedFound()
            + ", missing "
            + result.expectedMissing());
    if (!result.clean()) {
      throw new StepFailedException(
          "log of container " + name + check.scope() + " is not clean: " + result.problems());
    }
    return result.outputs();
  }
}
