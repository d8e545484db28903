package io.lockstep.docker;

import com.fasterxml.jackson.databind.JsonNode;
import io.lockstep.engine.model.Step;
import io.lockstep.engine.model.StepContext;
import io.lockstep.engine.spi.ArgSpec;
import io.lockstep.engine.spi.StepType;
import io.lockstep.steps.StepArgs;
import io.lockstep.steps.StepFailedException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

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
 * Values are never logged or put in outputs unless named in {@code show}: a connection string holds
 * a password. Every variable is checked, and the failure names all that are missing or do not
 * match. Outputs {@code container}, {@code checked} (the names) and {@code values} (the shown
 * ones). Read-only: idempotent, nothing to undo.
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
    Map<String, Pattern> rules = new LinkedHashMap<>();
    StepArgs.map(args, "matches")
        .forEach(
            (variable, regex) ->
                rules.put(
                    String.valueOf(variable),
                    StepArgs.pattern(
                        name() + " '" + id + "': matches." + variable, String.valueOf(regex))));
    if (rules.isEmpty()) {
      throw new IllegalArgumentException(
          name() + " '" + id + "': matches names no variable: give at least one NAME: 'regex'");
    }
    List<String> show = StepArgs.list(args, "show").stream().map(String::valueOf).toList();
    Object host = args.get("host");
    Map<String, String> shownRules = new LinkedHashMap<>();
    rules.forEach((k, v) -> shownRules.put(k, v.pattern()));
    Step.Builder step =
        Step.builder(id, ctx -> check(ctx, container, rules, show, host))
            .type(name())
            .describe(
                "check that container "
                    + StepArgs.display(container)
                    + " has "
                    + String.join(", ", rules.keySet())
                    + DockerArgs.on(host))
            .idempotent(true)
            .argument("container", StepArgs.display(container))
            .argument("matches", shownRules);
    if (!show.isEmpty()) {
      step.argument("show", show);
    }
    if (host != null) {
      step.argument("host", StepArgs.display(host));
    }
    return step;
  }

  private static Map<String, Object> check(
      StepContext ctx,
      Object containerArg,
      Map<String, Pattern> rules,
      List<String> show,
      Object host)
      throws InterruptedException {
    String name = ctx.resolveText(containerArg);
    Map<String, String> env;
    try (Docker docker = DockerArgs.docker(ctx, host)) {
      env = environment(docker.container(name));
    }
    List<String> problems = new ArrayList<>();
    Map<String, Object> shown = new LinkedHashMap<>();
    rules.forEach(
        (variable, regex) -> {
          String value = env.get(variable);
          String quoted = show.contains(variable) ? " ('" + value + "')" : "";
          if (value == null) {
            problems.add(variable + " is not set");
          } else if (!regex.matcher(value).find()) {
            problems.add(variable + quoted + " does not match /" + regex.pattern() + "/");
          } else {
            ctx.log(variable + quoted + " matches /" + regex.pattern() + "/");
          }
          if (value != null && show.contains(variable)) {
            shown.put(variable, value);
          }
        });
    if (!problems.isEmpty()) {
      throw new StepFailedException(
          "container " + name + " environment: " + String.join("; ", problems));
    }
    Map<String, Object> outputs = new LinkedHashMap<>();
    outputs.put("container", name);
    outputs.put("checked", List.copyOf(rules.keySet()));
    outputs.put("values", shown);
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
