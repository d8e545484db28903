package io.lockstep.docker;

import io.lockstep.engine.model.StepContext;
import io.lockstep.engine.spi.ArgSpec;
import io.lockstep.steps.StepArgs;
import java.util.Map;

/** Arguments every Docker step type shares, and reading them. */
final class DockerArgs {

  static final ArgSpec HOST =
      ArgSpec.optional(
          "host",
          String.class,
          null,
          "Docker endpoint (default: target's dockerHost, DOCKER_HOST, the local socket)");

  static final ArgSpec CONTAINER =
      ArgSpec.required("container", String.class, "name (or id) of the container");

  private DockerArgs() {}

  /** A required text argument that must not be empty, unresolved (may be a secret or template). */
  static Object required(String type, String id, Map<String, Object> args, String name) {
    Object value = StepArgs.text(args, name);
    if (value == null || value.toString().isBlank()) {
      throw new IllegalArgumentException(type + " '" + id + "': " + name + " must not be empty");
    }
    return value;
  }

  /** Leases the client of the step's endpoint; close it when the action ends. */
  static Docker docker(StepContext ctx, Object host) {
    return DockerClients.lease(DockerHost.resolve(ctx, host));
  }

  /** " on HOST" for descriptions when the playbook gives one, else nothing. */
  static String on(Object host) {
    return host == null ? "" : " on " + StepArgs.display(host);
  }
}
