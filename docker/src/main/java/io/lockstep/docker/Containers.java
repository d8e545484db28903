package io.lockstep.docker;

import com.fasterxml.jackson.databind.JsonNode;
import io.lockstep.engine.model.StepContext;
import io.lockstep.steps.StepFailedException;
import java.util.Map;
import java.util.Optional;

/** Making a container from a {@link ContainerRecord}: shared by recreate and its compensation. */
final class Containers {

  private Containers() {}

  /**
   * Stops and removes whatever container has the record's name, then creates one from the record on
   * {@code image}, attaches its other networks and starts it.
   *
   * @return the new container's id
   */
  static String replace(
      StepContext ctx, Docker docker, ContainerRecord record, String image, int stopSeconds)
      throws InterruptedException {
    return replace(ctx, docker, record, image, stopSeconds, true);
  }

  /**
   * Puts the recorded container back as it was: on {@code image}, and running only if it ran when
   * it was recorded. A container a playbook stopped before recreating it stays stopped, so a later
   * compensation (restoring its database, say) runs before anything starts it.
   *
   * @return the new container's id
   */
  static String restore(
      StepContext ctx, Docker docker, ContainerRecord record, String image, int stopSeconds)
      throws InterruptedException {
    return replace(ctx, docker, record, image, stopSeconds, record.running());
  }

  private static String replace(
      StepContext ctx,
      Docker docker,
      ContainerRecord record,
      String image,
      int stopSeconds,
      boolean start)
      throws InterruptedException {
    Optional<JsonNode> current = docker.findContainer(record.name());
    if (current.isPresent()) {
      String id = current.get().path("Id").asText();
      if (current.get().path("State").path("Running").asBoolean()) {
        ctx.log("stopping " + record.name() + " (" + Docker.shortId(id) + ")");
        docker.stop(id, stopSeconds);
      }
      docker.remove(id);
      ctx.log("removed " + record.name() + " (" + Docker.shortId(id) + ")");
    }
    String id = docker.create(record.name(), record.createBody(image));
    try {
      for (Map.Entry<String, Object> network : record.otherNetworks().entrySet()) {
        docker.connect(network.getKey(), id, network.getValue());
      }
      if (start) {
        docker.start(id);
      }
    } catch (StepFailedException e) {
      removeQuietly(docker, id);
      throw e;
    }
    ctx.log(
        (start ? "started " : "created (not started, as it was) ")
            + record.name()
            + " ("
            + Docker.shortId(id)
            + ") from "
            + image);
    return id;
  }

  /** The image to recreate a recorded container from: its reference if that still names it. */
  static String recordedImage(Docker docker, ContainerRecord record) throws InterruptedException {
    String byName = docker.findImage(record.image()).map(i -> i.path("Id").asText()).orElse("");
    if (byName.equals(record.imageId())) {
      return record.image();
    }
    if (docker.findImage(record.imageId()).isEmpty()) {
      throw new StepFailedException(
          "cannot recreate "
              + record.name()
              + ": its previous image "
              + record.image()
              + " ("
              + Docker.shortId(record.imageId())
              + ") is no longer on "
              + docker.host());
    }
    return record.imageId();
  }

  private static void removeQuietly(Docker docker, String id) {
    try {
      docker.remove(id);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (StepFailedException e) {
      // leave it for the operator; the original failure matters more
    }
  }
}
