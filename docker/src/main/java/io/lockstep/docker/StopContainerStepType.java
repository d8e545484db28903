package io.lockstep.docker;

import com.fasterxml.jackson.databind.JsonNode;
import io.lockstep.engine.model.Compensation;
import io.lockstep.engine.model.Step;
import io.lockstep.engine.model.StepContext;
import io.lockstep.engine.spi.ArgSpec;
import io.lockstep.engine.spi.StepType;
import io.lockstep.steps.StepArgs;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code stopContainer}: stops a container (SIGTERM, then SIGKILL after {@code stopTimeout}).
 *
 * <pre>{@code
 * stopContainer 'stop-portal', container: 'portal'
 * }</pre>
 *
 * Outputs {@code container}, {@code containerId} and {@code wasRunning}. The default compensation
 * starts it again if it was running. Idempotent; the probe accepts a stopped container (and then
 * assumes it ran when the step began, since the step was in flight).
 */
public final class StopContainerStepType implements StepType {

  private static final List<ArgSpec> ARGUMENTS =
      List.of(
          DockerArgs.CONTAINER,
          ArgSpec.optional(
              "stopTimeout",
              Duration.class,
              Duration.ofSeconds(10),
              "time the container gets to stop before it is killed"),
          DockerArgs.HOST);

  @Override
  public String name() {
    return "stopContainer";
  }

  @Override
  public String summary() {
    return "stop a container (started again on rollback)";
  }

  @Override
  public List<ArgSpec> arguments() {
    return ARGUMENTS;
  }

  @Override
  public Step.Builder create(String id, Map<String, Object> args) {
    Object container = DockerArgs.required(name(), id, args, "container");
    int stopSeconds = RecreateContainerStepType.stopSeconds(id, args);
    Object host = args.get("host");
    Step.Builder step =
        Step.builder(id, ctx -> stop(ctx, container, stopSeconds, host))
            .type(name())
            .describe("stop container " + StepArgs.display(container) + DockerArgs.on(host))
            .compensation(
                Compensation.of(
                    "start " + StepArgs.display(container) + " again if it was running",
                    ctx -> {
                      if (Boolean.TRUE.equals(ctx.ownOutputs().get("wasRunning"))) {
                        return StartContainerStepType.start(ctx, container, host);
                      }
                      ctx.log("nothing to undo: the container was not running");
                      return Map.of();
                    }))
            .probe(ctx -> probe(ctx, container, host))
            .idempotent(true)
            .argument("container", StepArgs.display(container))
            .argument("stopTimeout", stopSeconds + "s");
    if (host != null) {
      step.argument("host", StepArgs.display(host));
    }
    return step;
  }

  static Map<String, Object> stop(
      StepContext ctx, Object containerArg, int stopSeconds, Object host)
      throws InterruptedException {
    String name = ctx.resolveText(containerArg);
    try (Docker docker = DockerArgs.docker(ctx, host)) {
      JsonNode container = docker.container(name);
      String id = container.path("Id").asText();
      boolean running = container.path("State").path("Running").asBoolean();
      if (running) {
        docker.stop(id, stopSeconds);
        ctx.log("stopped " + name + " (" + Docker.shortId(id) + ")");
      } else {
        ctx.log(name + " is not running");
      }
      return Map.of("container", name, "containerId", id, "wasRunning", running);
    }
  }

  private static Optional<Map<String, Object>> probe(
      StepContext ctx, Object containerArg, Object host) throws InterruptedException {
    String name = ctx.resolveText(containerArg);
    try (Docker docker = DockerArgs.docker(ctx, host)) {
      JsonNode container = docker.container(name);
      if (container.path("State").path("Running").asBoolean()) {
        return Optional.empty();
      }
      return Optional.of(
          Map.of(
              "container", name, "containerId", container.path("Id").asText(), "wasRunning", true));
    }
  }
}
