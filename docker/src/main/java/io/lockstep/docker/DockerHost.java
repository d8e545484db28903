package io.lockstep.docker;

import io.lockstep.engine.model.StepContext;
import io.lockstep.engine.model.Target;

/**
 * Where a step finds its Docker daemon: the step's {@code host} argument, else the target's {@code
 * dockerHost} attribute, else the {@code DOCKER_HOST} environment variable, else the local socket.
 */
final class DockerHost {

  static final String DEFAULT = "unix:///var/run/docker.sock";

  private DockerHost() {}

  static String resolve(StepContext ctx, Object hostArg) {
    String host = hostArg == null ? null : ctx.resolveText(hostArg);
    if (isBlank(host)) {
      Target target = ctx.target();
      host = target == null ? null : target.attribute("dockerHost");
    }
    if (isBlank(host)) {
      host = System.getenv("DOCKER_HOST");
    }
    return isBlank(host) ? DEFAULT : host.strip();
  }

  private static boolean isBlank(String value) {
    return value == null || value.isBlank();
  }
}
