package io.lockstep.docker;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.lockstep.engine.model.Compensation;
import io.lockstep.engine.model.Step;
import io.lockstep.engine.model.StepContext;
import io.lockstep.engine.spi.ArgSpec;
import io.lockstep.engine.spi.StepType;
import io.lockstep.steps.AtomicFiles;
import io.lockstep.steps.StepArgs;
import io.lockstep.steps.StepFailedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code composeUp}: creates or recreates and starts the container of one compose service ({@code
 * docker-compose up -d --no-deps SERVICE}) as the compose file now describes it, without touching
 * the services it depends on.
 *
 * <pre>{@code
 * composeUp 'start-portal', file: 'docker-compose.yaml', service: 'tyk-portal'
 * }</pre>
 *
 * <p>Before it runs the CLI, the step records the service's container as it was ({@code
 * <artifacts>/<step id>/service-before.json}), so a run that died halfway still knows what it
 * replaced. Outputs {@code service}, {@code container}, {@code containerId}, {@code image} and
 * {@code imageId} of the running container afterwards, {@code previousContainerId} and {@code
 * previousImage} (empty when the service had no container), {@code wasRunning} and {@code changed}
 * ({@code false} when the same container was already running). The default compensation stops the
 * service again ({@code docker-compose stop}) unless nothing changed. Idempotent; the probe accepts
 * a running container once the record exists.
 */
public final class ComposeUpStepType implements StepType {

  static final String RECORD_FILE = "service-before.json";

  private static final List<ArgSpec> ARGUMENTS =
      ComposeArgs.withCli(
          ComposeArgs.stopTimeout(
              "on rollback, time the service's containers get to stop before they are killed (default: the file's stop_grace_period, else 10s)"));

  @Override
  public String name() {
    return "composeUp";
  }

  @Override
  public String summary() {
    return "start a compose service as its file describes it, up -d (stopped again on rollback)";
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
            Step.builder(id, ctx -> up(ctx, compose))
                .type(name())
                .describe("bring up " + compose.shown() + " (up -d --no-deps)")
                .compensation(
                    Compensation.of(
                        "stop service " + StepArgs.display(compose.service()) + " again",
                        ctx -> {
                          if (Boolean.FALSE.equals(ctx.ownOutputs().get("changed"))) {
                            ctx.log("nothing to undo: the service already ran this container");
                            return Map.of();
                          }
                          return ComposeStopStepType.stop(ctx, compose, stopSeconds);
                        }))
                .probe(ctx -> probe(ctx, compose))
                .idempotent(true));
    return stopSeconds == null ? step : step.argument("stopTimeout", stopSeconds + "s");
  }

  private static Map<String, Object> up(StepContext ctx, ComposeArgs args)
      throws InterruptedException, IOException {
    Compose compose = Compose.of(ctx, args);
    Path record = recordFile(ctx);
    try (Docker docker = DockerClients.lease(compose.host())) {
      Map<String, Object> before;
      if (Files.exists(record)) {
        before = readRecord(record);
        ctx.log("continuing from the state of the service recorded earlier in " + record);
      } else {
        before = before(compose.containers(docker));
        AtomicFiles.write(record, Docker.JSON.writeValueAsBytes(before));
      }
      return outputs(compose, before, start(ctx, compose, docker));
    }
  }

  /** {@code up -d --no-deps SERVICE}, then the service's running container as outputs name it. */
  static Map<String, Object> start(StepContext ctx, ComposeArgs args) throws InterruptedException {
    Compose compose = Compose.of(ctx, args);
    try (Docker docker = DockerClients.lease(compose.host())) {
      Map<String, Object> outputs = new LinkedHashMap<>();
      outputs.put("service", compose.service());
      outputs.putAll(start(ctx, compose, docker));
      return outputs;
    }
  }

  private static Map<String, Object> start(StepContext ctx, Compose compose, Docker docker)
      throws InterruptedException {
    compose.run("up", "-d", "--no-deps", compose.service());
    List<JsonNode> containers = compose.containers(docker);
    if (containers.isEmpty() || !Compose.running(containers.get(0))) {
      throw new StepFailedException(
          "up -d of service "
              + compose.service()
              + " succeeded, but none of its containers is running"
              + (containers.isEmpty()
                  ? ""
                  : ": " + state(containers.get(0)) + lastLines(ctx, docker, containers.get(0))));
    }
    JsonNode container = containers.get(0);
    ctx.log(
        "service "
            + compose.service()
            + " runs "
            + container.path("Config").path("Image").asText()
            + " in container "
            + Compose.name(container)
            + " ("
            + Docker.shortId(container.path("Id").asText())
            + ")");
    return Compose.describe(container);
  }

  private static Optional<Map<String, Object>> probe(StepContext ctx, ComposeArgs args)
      throws InterruptedException, IOException {
    Path record = recordFile(ctx);
    if (!Files.exists(record)) {
      return Optional.empty(); // the CLI was not run yet
    }
    Compose compose = Compose.of(ctx, args);
    try (Docker docker = DockerClients.lease(compose.host())) {
      List<JsonNode> containers = compose.containers(docker);
      if (containers.isEmpty() || !Compose.running(containers.get(0))) {
        return Optional.empty();
      }
      return Optional.of(outputs(compose, readRecord(record), Compose.describe(containers.get(0))));
    }
  }

  /** The service's container before the step: the running one, else the first. */
  private static Map<String, Object> before(List<JsonNode> containers) {
    Map<String, Object> before = new LinkedHashMap<>();
    JsonNode first = containers.isEmpty() ? null : containers.get(0);
    before.put("previousContainerId", first == null ? "" : first.path("Id").asText());
    before.put("previousImage", first == null ? "" : first.path("Config").path("Image").asText());
    before.put("wasRunning", first != null && Compose.running(first));
    return before;
  }

  private static Map<String, Object> outputs(
      Compose compose, Map<String, Object> before, Map<String, Object> container) {
    Map<String, Object> outputs = new LinkedHashMap<>();
    outputs.put("service", compose.service());
    outputs.putAll(container);
    outputs.putAll(before);
    outputs.put(
        "changed",
        !(Boolean.TRUE.equals(before.get("wasRunning"))
            && container.get("containerId").equals(before.get("previousContainerId"))));
    return outputs;
  }

  private static String state(JsonNode container) {
    JsonNode state = container.path("State");
    return Compose.name(container)
        + " is "
        + state.path("Status").asText("not running")
        + (state.has("ExitCode") ? " (exit code " + state.path("ExitCode").asInt() + ")" : "");
  }

  private static Path recordFile(StepContext ctx) {
    return ctx.artifactsDir().resolve(StepArgs.fileName(ctx.stepId())).resolve(RECORD_FILE);
  }

  private static Map<String, Object> readRecord(Path file) throws IOException {
    return Docker.JSON.readValue(file.toFile(), new TypeReference<Map<String, Object>>() {});
  }

  /** The end of the log of a container that exited: usually why. */
  private static String lastLines(StepContext ctx, Docker docker, JsonNode container)
      throws InterruptedException {
    List<String> lines =
        ContainerLogs.tail(
            ctx,
            docker,
            container.path("Id").asText(),
            container.path("Config").path("Tty").asBoolean(),
            5);
    return lines.isEmpty()
        ? "; its log is empty"
        : "; last log lines: " + String.join(" | ", lines);
  }
}
