package io.lockstep.docker;

import io.lockstep.database.Transport;
import io.lockstep.database.TransportProvider;
import io.lockstep.engine.model.StepContext;
import io.lockstep.engine.spi.ArgSpec;
import io.lockstep.steps.StepArgs;
import io.lockstep.steps.StepFailedException;
import java.util.List;
import java.util.Map;

/**
 * {@code via: 'docker'} for {@code backupDatabase} and {@code restoreDatabase}: the tools run in
 * the running container {@code container} through {@code docker exec}, on the daemon the Docker
 * steps use ({@code dockerHost}, else the target's {@code dockerHost}, {@code DOCKER_HOST}, the
 * local socket). The database's {@code host} and {@code port} are then as the container sees them.
 *
 * <pre>{@code
 * backupDatabase 'portal-db', via: 'docker', container: 'tyk-db', engine: 'postgres',
 *     host: '127.0.0.1', database: 'portal', user: 'portal', password: secret('dbPassword')
 * }</pre>
 */
public final class DockerTransportProvider implements TransportProvider {

  static final String NAME = "docker";

  private static final List<ArgSpec> ARGUMENTS =
      List.of(
          ArgSpec.optional(
              "container",
              String.class,
              null,
              "via: 'docker': name (or id) of the running container the tools run in"),
          ArgSpec.optional(
              "dockerHost",
              String.class,
              null,
              "via: 'docker': Docker endpoint (default: target's dockerHost, DOCKER_HOST, the local"
                  + " socket)"));

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<ArgSpec> arguments() {
    return ARGUMENTS;
  }

  @Override
  public void check(Map<String, Object> args) {
    Object container = args.get("container");
    if (container == null || container.toString().isBlank()) {
      throw new IllegalArgumentException(
          "via 'docker' needs container: the name of the container the tools run in");
    }
  }

  @Override
  public String where(Map<String, Object> args) {
    return "in container "
        + StepArgs.display(args.get("container"))
        + DockerArgs.on(args.get("dockerHost"));
  }

  @Override
  public Transport open(Map<String, Object> args, StepContext ctx) {
    String container = ctx.resolveText(args.get("container"));
    if (container == null || container.isBlank()) {
      throw new StepFailedException(
          "via 'docker' needs container: the name of the container the tools run in");
    }
    try {
      return DockerTransport.open(ctx, container.strip(), args.get("dockerHost"));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StepFailedException("interrupted while looking up container " + container, e);
    }
  }
}
