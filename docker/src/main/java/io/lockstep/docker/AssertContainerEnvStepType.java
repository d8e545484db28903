package io.lockstep.docker;

import com.fasterxml.jackson.databind.JsonNode;
import io.lockstep.engine.model.Step;
import io.lockstep.engine.model.StepContext;
import io.lockstep.engine.spi.ArgSpec;
import io.lockstep.engine.spi.StepType;
import io.lockstep.steps.EnvRules;
import io.lockstep.steps.StepArgs;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code assertContainerEnv}: checks a container's environment, as the daemon reports it (the
 * image's {@code ENV} plus what {@code docker run} set), before an upgrade that needs it.
 *
 * <pre>{@code
 * assertContainerEnv 'dialect', container: 'tyk-portal',
 *     matches: [PORTAL_DATABASE_DIALECT: '^(postgres|mysql)$', PORTAL_DATABASE_CONNECTIONSTRING: '.+'],
 *     show: ['PORTAL_DATABASE_DIALECT']
 * }</pre>
 *
 * The rules are {@link EnvRules}': values appear only for the variables in {@code show}, and the
 * failure names every variable missing or not matching. Outputs {@code container}, {@code checked}
 * (the names) and {@code values} (the shown ones). Read-only: idempotent, nothing to undo.
 */
public final class AssertContainerEnvStepType implements StepType {

  private static final List<ArgSpec> ARGUMENTS =
      List.of(
          DockerArgs.CONTAINER,
          ArgSpec.required("matches", Map.class, "variable name -> regex its value must match"),
          ArgSpec.optional(
              "show", List.class, List.of(), "variables whose values may appear in logs"),
          DockerArgs.HOST);

  @Override
  public String name() {
    return "assertContainerEnv";
  }

  @Override
  public String summary() {
    return "check that a container's environment variables are set and match patterns";
  }

  @Override
  public List<ArgSpec> arguments() {
    return ARGUMENTS;
  }

  @Override
  public Step.Builder create(String id, Map<String, Object> args) {
    Object container = DockerArgs.required(name(), id, args, "container");
    EnvRules rules = EnvRules.of(name() + " '" + id + "'", args);
    Object host = args.get("host");
    Step.Builder step =
        Step.builder(id, ctx -> check(ctx, container, rules, host))
            .type(name())
            .describe(
                "check that container "
                    + StepArgs.display(container)
                    + " has "
                    + String.join(", ", rules.names())
                    + DockerArgs.on(host))
            .idempotent(true)
            .argument("container", StepArgs.display(container))
            .argument("matches", rules.patterns());
    if (!rules.show().isEmpty()) {
      step.argument("show", rules.show());
    }
    if (host != null) {
      step.argument("host", StepArgs.display(host));
    }
    return step;
  }

  private static Map<String, Object> check(
      StepContext ctx, Object containerArg, EnvRules rules, Object host)
      throws InterruptedException {
    String name = ctx.resolveText(containerArg);
    Map<String, String> env;
    try (Docker docker = DockerArgs.docker(ctx, host)) {
      env = environment(docker.container(name));
    }
    Map<String, Object> outputs = new LinkedHashMap<>();
    outputs.put("container", name);
    outputs.putAll(rules.check(ctx, "container " + name, env, Map.of()));
    return outputs;
  }

  /**
   * {@code Config.Env} as a map; a variable given twice keeps its last value, as the kernel does.
   */
  private static Map<String, String> environment(JsonNode container) {
    Map<String, String> env = new LinkedHashMap<>();
    for (JsonNode entry : container.path("Config").path("Env")) {
      String text = entry.asText();
      int eq = text.indexOf('=');
      if (eq > 0) {
        env.put(text.substring(0, eq), text.substring(eq + 1));
      }
    }
    return env;
  }
}
