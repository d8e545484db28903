package io.lockstep.docker;

import com.fasterxml.jackson.databind.JsonNode;
import io.lockstep.engine.model.Step;
import io.lockstep.engine.model.StepContext;
import io.lockstep.engine.spi.ArgSpec;
import io.lockstep.engine.spi.StepType;
import io.lockstep.steps.StepArgs;
import io.lockstep.steps.StepFailedException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code waitContainer}: waits until a container is {@code healthy} when it has a healthcheck, or
 * {@code running} when it has none.
 *
 * <pre>{@code
 * waitContainer 'portal-healthy', container: 'portal', within: '2m'
 * }</pre>
 *
 * A container that exits (and is not being restarted by its restart policy) fails the step at once;
 * one that is still not ready after {@code within} fails it with its last state, the output of its
 * last health check and its last log lines. Outputs {@code container}, {@code containerId}, {@code
 * status}, {@code health} (empty without a healthcheck) and {@code waitedMillis}. Idempotent,
 * nothing to compensate.
 */
public final class WaitContainerStepType implements StepType {

  static final long POLL_MILLIS = 250;
  private static final int LOG_LINES = 5;

  private static final List<ArgSpec> ARGUMENTS =
      List.of(
          DockerArgs.CONTAINER,
          ArgSpec.optional(
              "within", Duration.class, Duration.ofSeconds(60), "how long to wait at most"),
          DockerArgs.HOST);

  @Override
  public String name() {
    return "waitContainer";
  }

  @Override
  public String summary() {
    return "wait until a container is healthy (with a healthcheck) or running (without)";
  }

  @Override
  public List<ArgSpec> arguments() {
    return ARGUMENTS;
  }

  @Override
  public Step.Builder create(String id, Map<String, Object> args) {
    Object container = DockerArgs.required(name(), id, args, "container");
    Duration within = StepArgs.duration(args, "within", Duration.ofSeconds(60));
    if (within.isNegative() || within.isZero()) {
      throw new IllegalArgumentException("waitContainer '" + id + "': within must be positive");
    }
    Object host = args.get("host");
    Step.Builder step =
        Step.builder(id, ctx -> await(ctx, container, within, host))
            .type(name())
            .describe(
                "wait up to "
                    + StepArgs.format(within)
                    + " until container "
                    + StepArgs.display(container)
                    + " is healthy (or running, without a healthcheck)"
                    + DockerArgs.on(host))
            .idempotent(true)
            .argument("container", StepArgs.display(container))
            .argument("within", StepArgs.format(within));
    if (host != null) {
      step.argument("host", StepArgs.display(host));
    }
    return step;
  }

  private static Map<String, Object> await(
      StepContext ctx, Object containerArg, Duration within, Object host)
      throws InterruptedException {
    String name = ctx.resolveText(containerArg);
    long start = System.nanoTime();
    long deadline = start + within.toNanos();
    try (Docker docker = DockerArgs.docker(ctx, host)) {
      String lastSeen = null;
      while (true) {
        JsonNode container = docker.container(name);
        JsonNode state = container.path("State");
        String status = state.path("Status").asText();
        JsonNode health = state.path("Health");
        String healthStatus = health.path("Status").asText("");
        boolean hasHealthcheck = !health.isMissingNode() && !health.isNull();
        String seen = status + (hasHealthcheck ? "/" + healthStatus : "");
        if (!seen.equals(lastSeen)) {
          ctx.log(name + ": " + status + (hasHealthcheck ? ", health " + healthStatus : ""));
          lastSeen = seen;
        }
        boolean ready =
            state.path("Running").asBoolean()
                && !state.path("Restarting").asBoolean()
                && (!hasHealthcheck || "healthy".equals(healthStatus));
        if (ready) {
          Map<String, Object> outputs = new LinkedHashMap<>();
          outputs.put("container", name);
          outputs.put("containerId", container.path("Id").asText());
          outputs.put("status", status);
          outputs.put("health", healthStatus);
          outputs.put("waitedMillis", (System.nanoTime() - start) / 1_000_000);
          return outputs;
        }
        boolean gone =
            !state.path("Running").asBoolean()
                && !state.path("Restarting").asBoolean()
                && !restartsOnExit(container);
        if (gone || System.nanoTime() - deadline >= 0) {
          throw new StepFailedException(
              failure(ctx, docker, name, container, gone, within, hasHealthcheck));
        }
        ctx.cancellation().throwIfCancelled();
        Thread.sleep(
            Math.max(1, Math.min(POLL_MILLIS, (deadline - System.nanoTime()) / 1_000_000)));
      }
    }
  }

  /** Whether the daemon will start this exited container again by itself. */
  private static boolean restartsOnExit(JsonNode container) {
    JsonNode state = container.path("State");
    String policy = container.path("HostConfig").path("RestartPolicy").path("Name").asText("no");
    boolean restarts =
        policy.equals("always")
            || policy.equals("unless-stopped")
            || policy.equals("on-failure") && state.path("ExitCode").asInt() != 0;
    return restarts && state.path("Status").asText().equals("exited");
  }

  private static String failure(
      StepContext ctx,
      Docker docker,
      String name,
      JsonNode container,
      boolean gone,
      Duration within,
      boolean hasHealthcheck)
      throws InterruptedException {
    JsonNode state = container.path("State");
    StringBuilder text = new StringBuilder("container ").append(name);
    if (gone) {
      text.append(" is not running: ").append(state.path("Status").asText());
      if (state.path("Status").asText().equals("exited")) {
        text.append(" with code ").append(state.path("ExitCode").asInt());
      }
      String error = state.path("Error").asText("");
      if (!error.isEmpty()) {
        text.append(" (").append(error).append(')');
      }
    } else {
      text.append(" did not become ")
          .append(hasHealthcheck ? "healthy" : "running")
          .append(" within ")
          .append(StepArgs.format(within))
          .append(": ")
          .append(state.path("Status").asText());
      if (hasHealthcheck) {
        JsonNode health = state.path("Health");
        text.append(", health ").append(health.path("Status").asText());
        JsonNode log = health.path("Log");
        if (log.size() > 0) {
          JsonNode last = log.get(log.size() - 1);
          text.append(", last check exited ")
              .append(last.path("ExitCode").asInt())
              .append(": ")
              .append(oneLine(last.path("Output").asText("")));
        }
      }
    }
    List<String> lines =
        ContainerLogs.tail(
            ctx,
            docker,
            container.path("Id").asText(),
            container.path("Config").path("Tty").asBoolean(),
            LOG_LINES);
    if (lines.isEmpty()) {
      text.append("; its log is empty");
    } else {
      text.append("; last log lines: ").append(String.join(" | ", lines));
    }
    return text.toString();
  }

  private static String oneLine(String text) {
    String flat = text.strip().replaceAll("\\s*\\n\\s*", " / ");
    return flat.length() > 300 ? flat.substring(0, 300) + "..." : flat;
  }
}
