package io.lockstep.docker;

import io.lockstep.engine.model.Compensation;
import io.lockstep.engine.model.Step;
import io.lockstep.engine.model.StepContext;
import io.lockstep.engine.spi.ArgSpec;
import io.lockstep.engine.spi.StepType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code composePull}: pulls the image of one compose service ({@code docker-compose pull
 * SERVICE}), with the registry credentials of the Docker CLI's {@code config.json}.
 *
 * <pre>{@code
 * composePull 'pull', file: 'docker-compose.yaml', service: 'tyk-portal'
 * }</pre>
 *
 * Outputs {@code file} and {@code service}. Idempotent; nothing to compensate (the previous image
 * stays on the daemon, and the compose file's restore names it again).
 */
public final class ComposePullStepType implements StepType {

  private static final List<ArgSpec> ARGUMENTS = ComposeArgs.withCli();

  @Override
  public String name() {
    return "composePull";
  }

  @Override
  public String summary() {
    return "pull the image of a compose service (docker-compose pull)";
  }

  @Override
  public List<ArgSpec> arguments() {
    return ARGUMENTS;
  }

  @Override
  public Step.Builder create(String id, Map<String, Object> args) {
    ComposeArgs compose = ComposeArgs.read(name(), id, args);
    return compose.describeIn(
        Step.builder(id, ctx -> pull(ctx, compose))
            .type(name())
            .describe("pull the image of " + compose.shown())
            .compensation(Compensation.none())
            .idempotent(true));
  }

  private static Map<String, Object> pull(StepContext ctx, ComposeArgs args)
      throws InterruptedException {
    Compose compose = Compose.of(ctx, args);
    compose.run("pull", compose.service());
    Map<String, Object> outputs = new LinkedHashMap<>();
    outputs.put("file", compose.file().toString());
    outputs.put("service", compose.service());
    return outputs;
  }
}
