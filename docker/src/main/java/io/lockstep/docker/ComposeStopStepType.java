package io.lockstep.docker;

import com.fasterxml.jackson.databind.JsonNode;
import io.lockstep.engine.model.Compensation;
import io.lockstep.engine.model.Step;
import io.lockstep.engine.model.StepContext;
import io.lockstep.engine.spi.ArgSpec;
import io.lockstep.engine.spi.StepType;
import io.lockstep.steps.StepArgs;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code composeStop}: stops the containers of one compose service ({@code docker-compose stop -t
 * SECONDS SERVICE}).
 *
 * <pre>{@code
 * composeStop 'stop-portal', file: 'docker-compose.yaml', service: 'tyk-portal'
 * }</pre>
 *
 * Outputs {@code service}, {@code wasRunning} and {@code containers} (the names of those it
 * stopped). The default compensation brings the service up again ({@code up -d --no-deps}) if it
 * was running, with the compose file as it is then: after a restored file, on the previous image.
 * Idempotent; the probe accepts a service with no running container (and then assumes it ran when
 * the step began if it has containers, since the step was in flight).
 */
public final class ComposeStopStepType implements StepType {

  private static final List<ArgSpec> ARGUMENTS =
      ComposeArgs.withCli(
          ComposeArgs.stopTimeout(
              "time the service's containers get to stop before they are killed (default: the file's stop_grace_period, else 10s)"));

  @Override
  public String name() {
    return "composeStop";
  }

  @Override
  public String summary() {
    return "stop a compose service (brought up again on rollback)";
  }

  @Override
  public List<ArgSpec> arguments() {
    return ARGUMENTS;
  }

  @Override
  public Step.Builder create(String id, Map<String, Object> args) {
    ComposeArgs compose = ComposeArgs.read(name(), id, args);
    Integer stopSeconds = ComposeArgs.stopSeconds(name(), id, args);
    Step.Builder step =
        compose.describeIn(
            Step.builder(id, ctx -> stop(ctx, compose, stopSeconds))
                .type(name())
                .describe("stop " + compose.shown())
                .compensation(
                    Compensation.of(
                        "bring service "
                            + StepArgs.display(compose.service())
                            + " up again (up -d) if it was running",
                        ctx -> {
                          if (Boolean.TRUE.equals(ctx.ownOutputs().get("wasRunning"))) {
                            return ComposeUpStepType.start(ctx, compose);
                          }
                          ctx.log("nothing to undo: the service was not running");
                          return Map.of();
                        }))
                .probe(ctx -> probe(ctx, compose))
                .idempotent(true));
    return stopSeconds == null ? step : step.argument("stopTimeout", stopSeconds + "s");
  }

  static Map<String, Object> stop(StepContext ctx, ComposeArgs args, Integer stopSeconds)
      throws InterruptedException {
    Compose compose = Compose.of(ctx, args);
    try (Docker docker = DockerClients.lease(compose.host())) {
      List<JsonNode> containers = compose.containers(docker);
      List<String> running =
          containers.stream().filter(Compose::running).map(Compose::name).toList();
      if (running.isEmpty()) {
        ctx.log(
            "service "
                + compose.service()
                + " is not running"
                + (containers.isEmpty() ? " (it has no container)" : ""));
      } else {
        compose.stop(stopSeconds);
        ctx.log("stopped service " + compose.service() + ": " + String.join(", ", running));
      }
      return outputs(compose.service(), !running.isEmpty(), running);
    }
  }

  private static Optional<Map<String, Object>> probe(StepContext ctx, ComposeArgs args)
      throws InterruptedException {
    Compose compose = Compose.of(ctx, args);
    try (Docker docker = DockerClients.lease(compose.host())) {
      List<JsonNode> containers = compose.containers(docker);
      if (containers.stream().anyMatch(Compose::running)) {
        return Optional.empty();
      }
      return Optional.of(
          outputs(
              compose.service(),
              !containers.isEmpty(),
              containers.stream().map(Compose::name).toList()));
    }
  }

  private static Map<String, Object> outputs(
      String service, boolean wasRunning, List<String> containers) {
    Map<String, Object> outputs = new LinkedHashMap<>();
    outputs.put("service", service);
    outputs.put("wasRunning", wasRunning);
    outputs.put("containers", containers);
    return outputs;
  }
}
