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
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code recreateContainer}: replaces a container with one made from a new image and the same
 * configuration (env, ports, volumes and mounts, networks, restart policy, labels, command and
 * entrypoint, user, working directory, healthcheck, resources), as {@link ContainerRecord}
 * describes.
 *
 * <pre>{@code
 * recreateContainer 'portal', container: 'portal', image: "registry.example.com/portal:${params.version}"
 * }</pre>
 *
 * <p>Before it changes anything the step writes the recorded configuration to its artifacts, so a
 * run that died halfway resumes from the record rather than from a half-replaced container. The new
 * image must already be on the daemon ({@code pullImage} first). If the new container cannot be
 * created or started, the previous one is put back before the step fails.
 *
 * <p>Outputs {@code container}, {@code containerId}, {@code image}, {@code imageId}, {@code
 * previousImage}, {@code previousImageId}, {@code previousContainerId}, {@code previous} (the whole
 * record) and {@code changed}. The default compensation recreates the container from the record
 * with the previous image. The probe accepts a running container on the new image.
 */
public final class RecreateContainerStepType implements StepType {

  static final String RECORD_FILE = "previous-container.json";

  private static final List<ArgSpec> ARGUMENTS =
      List.of(
          DockerArgs.CONTAINER,
          ArgSpec.required("image", String.class, "image the new container runs"),
          ArgSpec.optional(
              "stopTimeout",
              Duration.class,
              Duration.ofSeconds(10),
              "time the old container gets to stop before it is killed"),
          ArgSpec.optional(
              "env",
              Map.class,
              Map.of(),
              "variables to set on the new container (values may be secrets)"),
          DockerArgs.HOST);

  @Override
  public String name() {
    return "recreateContainer";
  }

  @Override
  public String summary() {
    return "replace a container with one on a new image and the same configuration";
  }

  @Override
  public List<ArgSpec> arguments() {
    return ARGUMENTS;
  }

  @Override
  public Step.Builder create(String id, Map<String, Object> args) {
    Object container = DockerArgs.required(name(), id, args, "container");
    Object image = DockerArgs.required(name(), id, args, "image");
    int stopSeconds = stopSeconds(id, args);
    Map<?, ?> env = StepArgs.map(args, "env");
    Object host = args.get("host");
    Step.Builder step =
        Step.builder(id, ctx -> recreate(ctx, container, image, env, stopSeconds, host))
            .type(name())
            .describe(
                "recreate container "
                    + StepArgs.display(container)
                    + " on "
                    + StepArgs.display(image)
                    + " with its configuration"
                    + (env.isEmpty() ? "" : " and " + env.keySet() + " set")
                    + DockerArgs.on(host))
            .compensation(
                Compensation.of(
                    "recreate "
                        + StepArgs.display(container)
                        + " on its previous image and configuration (started if it was running)",
                    ctx -> restore(ctx, stopSeconds, host)))
            .probe(ctx -> probe(ctx, container, image, host))
            .idempotent(true)
            .argument("container", StepArgs.display(container))
            .argument("image", StepArgs.display(image))
            .argument("stopTimeout", stopSeconds + "s");
    if (!env.isEmpty()) {
      step.argument("env", StepArgs.display(env));
    }
    if (host != null) {
      step.argument("host", StepArgs.display(host));
    }
    return step;
  }

  static int stopSeconds(String id, Map<String, Object> args) {
    Duration timeout = StepArgs.duration(args, "stopTimeout", Duration.ofSeconds(10));
    if (timeout.isNegative()) {
      throw new IllegalArgumentException(id + ": stopTimeout must not be negative");
    }
    return (int) Math.min(Integer.MAX_VALUE, timeout.toSeconds());
  }

  private static Map<String, Object> recreate(
      StepContext ctx,
      Object containerArg,
      Object imageArg,
      Map<?, ?> envArg,
      int stopSeconds,
      Object host)
      throws InterruptedException, IOException {
    String name = ctx.resolveText(containerArg);
    String image = ctx.resolveText(imageArg);
    Map<String, String> env = new LinkedHashMap<>();
    envArg.forEach((k, v) -> env.put(String.valueOf(k), ctx.resolveText(v)));
    try (Docker docker = DockerArgs.docker(ctx, host)) {
      String imageId = imageId(docker, image);
      Path recordFile = recordFile(ctx);
      ContainerRecord previous;
      if (Files.exists(recordFile)) {
        previous = readRecord(recordFile);
        Optional<JsonNode> current = docker.findContainer(name);
        if (current.isPresent()
            && current.get().path("State").path("Running").asBoolean()
            && current.get().path("Image").asText().equals(imageId)) {
          ctx.log(name + " already runs " + image + ": recreated earlier in this run");
          return outputs(previous, current.get().path("Id").asText(), image, imageId, true);
        }
        ctx.log("continuing from the configuration recorded earlier in " + recordFile);
      } else {
        JsonNode current = docker.container(name);
        previous =
            ContainerRecord.of(
                current, docker.findImage(current.path("Image").asText()).orElse(null));
        if (previous.imageId().equals(imageId) && previous.running()) {
          ctx.log(name + " already runs " + image + " (" + Docker.shortId(imageId) + ")");
          return outputs(previous, current.path("Id").asText(), image, imageId, false);
        }
        writeRecord(recordFile, previous);
      }
      String id;
      try {
        id = Containers.replace(ctx, docker, previous.withEnv(env), image, stopSeconds);
      } catch (StepFailedException e) {
        ctx.log(
            "could not start " + name + " on " + image + ": putting the previous container back");
        try {
          Containers.restore(
              ctx, docker, previous, Containers.recordedImage(docker, previous), stopSeconds);
        } catch (StepFailedException again) {
          throw new StepFailedException(
              e.getMessage()
                  + "; putting the previous container back failed too: "
                  + again.getMessage(),
              e);
        }
        throw new StepFailedException(
            e.getMessage()
                + (previous.running()
                    ? " (the previous container runs again)"
                    : " (the previous container is back, stopped as it was)"),
            e);
      }
      return outputs(previous, id, image, imageId, true);
    }
  }

  private static Map<String, Object> restore(StepContext ctx, int stopSeconds, Object host)
      throws InterruptedException, IOException {
    Map<String, Object> outputs = ctx.ownOutputs();
    if (Boolean.FALSE.equals(outputs.get("changed"))) {
      ctx.log("nothing to undo: the container already ran this image");
      return Map.of();
    }
    Path recordFile = recordFile(ctx);
    if (!Files.exists(recordFile)) {
      throw new StepFailedException(
          "cannot put the previous container back: its record "
              + recordFile
              + " is gone (the run's artifacts were removed?); recreate it by hand from "
              + outputs.get("previousImage"));
    }
    ContainerRecord previous = readRecord(recordFile);
    try (Docker docker = DockerArgs.docker(ctx, host)) {
      String image = Containers.recordedImage(docker, previous);
      String id = Containers.restore(ctx, docker, previous, image, stopSeconds);
      Map<String, Object> restored = new LinkedHashMap<>();
      restored.put("container", previous.name());
      restored.put("containerId", id);
      restored.put("image", image);
      return restored;
    }
  }

  private static Optional<Map<String, Object>> probe(
      StepContext ctx, Object containerArg, Object imageArg, Object host)
      throws InterruptedException, IOException {
    Path recordFile = recordFile(ctx);
    if (!Files.exists(recordFile)) {
      return Optional.empty(); // nothing was changed yet
    }
    String name = ctx.resolveText(containerArg);
    String image = ctx.resolveText(imageArg);
    try (Docker docker = DockerArgs.docker(ctx, host)) {
      Optional<JsonNode> current = docker.findContainer(name);
      Optional<JsonNode> target = docker.findImage(image);
      if (current.isEmpty()
          || target.isEmpty()
          || !current.get().path("State").path("Running").asBoolean()
          || !current.get().path("Image").asText().equals(target.get().path("Id").asText())) {
        return Optional.empty();
      }
      return Optional.of(
          outputs(
              readRecord(recordFile),
              current.get().path("Id").asText(),
              image,
              target.get().path("Id").asText(),
              true));
    }
  }

  private static String imageId(Docker docker, String image) throws InterruptedException {
    return docker
        .findImage(image)
        .map(i -> i.path("Id").asText())
        .orElseThrow(
            () ->
                new StepFailedException(
                    "image "
                        + image
                        + " is not on "
                        + docker.host()
                        + ": pull it first (pullImage)"));
  }

  private static Map<String, Object> outputs(
      ContainerRecord previous, String id, String image, String imageId, boolean changed) {
    Map<String, Object> outputs = new LinkedHashMap<>();
    outputs.put("container", previous.name());
    outputs.put("containerId", id);
    outputs.put("image", image);
    outputs.put("imageId", imageId);
    outputs.put("previousImage", previous.image());
    outputs.put("previousImageId", previous.imageId());
    outputs.put("previousContainerId", previous.id());
    outputs.put("previous", previous.summary());
    outputs.put("changed", changed);
    return outputs;
  }

  private static Path recordFile(StepContext ctx) {
    return ctx.artifactsDir().resolve(StepArgs.fileName(ctx.stepId())).resolve(RECORD_FILE);
  }

  private static ContainerRecord readRecord(Path file) throws IOException {
    return ContainerRecord.fromMap(
        Docker.JSON.readValue(file.toFile(), new TypeReference<Map<String, Object>>() {}));
  }

  /** Written whole or not at all: a temporary file, forced to disk, then renamed. */
  private static void writeRecord(Path file, ContainerRecord record) throws IOException {
    AtomicFiles.writePrivate(file, Docker.JSON.writeValueAsBytes(record.toMap()));
  }
}
