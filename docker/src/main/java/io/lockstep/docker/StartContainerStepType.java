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
 * {@code startContainer}: starts a stopped container.
 *
 * <pre>{@code
 * startContainer 'start-portal', container: 'portal'
 * }</pre>
 *
 * Outputs {@code container}, {@code containerId} and {@code wasRunning}. The default compensation
 * stops it again if it was not running before. Idempotent; the probe accepts a running container.
 */
public final class StartContainerStepType implements StepType {

  private static final List<ArgSpec> ARGUMENTS =
      List.of(
          DockerArgs.CONTAINER,
          ArgSpec.optional(
              "stopTimeout",
              Duration.class,
              Duration.ofSeconds(10),
              "on rollback, time the container gets to stop before it is killed"),
          DockerArgs.HOST);

  @Override
  public String name() {
    return "startContainer";
  }

  @Override
  public String summary() {
    return "start a stopped container (stopped again on rollback)";
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
        Step.builder(id, ctx -> start(ctx, container, host))
            .type(name())
            .describe("start container " + StepArgs.display(container) + DockerArgs.on(host))
            .compensation(
                Compensation.of(
                    "stop " + StepArgs.display(container) + " again if it was not running",
                    ctx -> {
                      if (Boolean.FALSE.equals(ctx.ownOutputs().get("wasRunning"))) {
                        return StopContainerStepType.stop(ctx, container, stopSeconds, host);
                      }
                      ctx.log("nothing to undo: the container was already running");
                      return Map.of();
                    }))
            .probe(ctx -> probe(ctx, container, host))
            .idempotent(true)
            .argument("container", StepArgs.display(container));
    if (host != null) {
      step.argument("host", StepArgs.display(host));
    }
    return step;
  }

  static Map<String, Object> start(StepContext ctx, Object containerArg, Object host)
      throws InterruptedException {
    String name = ctx.resolveText(containerArg);
    try (Docker docker = DockerArgs.docker(ctx, host)) {
      JsonNode container = docker.container(name);
      String id = container.path("Id").asText();
      boolean running = container.path("State").path("Running").asBoolean();
      if (running) {
        ctx.log(name + " is already running");
      } else {
        docker.start(id);
        ctx.log("started " + name + " (" + Docker.shortId(id) + ")");
      }
      return Map.of("container", name, "containerId", id, "wasRunning", running);
    }
  }

  private static Optional<Map<String, Object>> probe(
      StepContext ctx, Object containerArg, Object host) throws InterruptedException {
    String name = ctx.resolveText(containerArg);
    try (Docker docker = DockerArgs.docker(ctx, host)) {
      JsonNode container = docker.container(name);
      if (!container.path("State").path("Running").asBoolean()) {
        return Optional.empty();
      }
      return Optional.of(
          Map.of(
              "container",
              name,
              "containerId",
              container.path("Id").asText(),
              "wasRunning",
              false));
    }
  }
}
