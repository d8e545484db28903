package io.lockstep.kubernetes;

import io.fabric8.kubernetes.api.model.Container;
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
 * {@code assertWorkloadEnv}: checks the environment a container of a workload's pod template gets,
 * before an upgrade that needs it. The Tyk portal refuses to start from 1.14.0 on without {@code
 * PORTAL_DATABASE_DIALECT} (postgres or mysql) and {@code PORTAL_DATABASE_CONNECTIONSTRING}.
 *
 * <pre>{@code
 * assertWorkloadEnv 'database-settings', name: 'tyk-dev-portal', container: 'tyk-portal',
 *     matches: [PORTAL_DATABASE_DIALECT: '^(postgres|mysql)$', PORTAL_DATABASE_CONNECTIONSTRING: '.+'],
 *     show: ['PORTAL_DATABASE_DIALECT']
 * }</pre>
 *
 * Values from {@code env}, and from the ConfigMaps and Secrets that {@code env} and {@code envFrom}
 * name, are checked ({@link ContainerEnv}); reading a Secret needs {@code get} on secrets. The
 * rules are {@link EnvRules}': values appear only for the variables in {@code show}. Outputs {@code
 * kind}, {@code name}, {@code container}, {@code checked} and {@code values}. Read-only.
 */
public final class AssertWorkloadEnvStepType implements StepType {

  static final String NAME = "assertWorkloadEnv";

  private static final List<ArgSpec> ARGUMENTS =
      KubeArgs.workload(
          KubeArgs.CONTAINER,
          ArgSpec.required("matches", Map.class, "variable name -> regex its value must match"),
          ArgSpec.optional(
              "show", List.class, List.of(), "variables whose values may appear in logs"));

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String summary() {
    return "check that a workload's container gets environment variables that match patterns";
  }

  @Override
  public List<ArgSpec> arguments() {
    return ARGUMENTS;
  }

  @Override
  public Step.Builder create(String id, Map<String, Object> args) {
    WorkloadKind kind = KubeArgs.kind(NAME, id, args);
    Object name = KubeArgs.required(NAME, id, args, "name");
    Object container = args.get("container");
    EnvRules rules = EnvRules.of(NAME + " '" + id + "'", args);
    Map<String, Object> cluster = KubeArgs.cluster(args);
    Step.Builder step =
        Step.builder(id, ctx -> check(ctx, kind, name, container, rules, cluster))
            .type(NAME)
            .describe(
                "check that "
                    + (container == null
                        ? "the container"
                        : "container " + StepArgs.display(container))
                    + " of "
                    + kind.word()
                    + " "
                    + StepArgs.display(name)
                    + KubeArgs.inNamespace(args)
                    + " gets "
                    + String.join(", ", rules.names()))
            .idempotent(true)
            .argument("kind", kind.word())
            .argument("name", StepArgs.display(name))
            .argument("matches", rules.patterns());
    if (!rules.show().isEmpty()) {
      step.argument("show", rules.show());
    }
    return step;
  }

  private static Map<String, Object> check(
      StepContext ctx,
      WorkloadKind kind,
      Object nameArg,
      Object containerArg,
      EnvRules rules,
      Map<String, Object> cluster)
      throws Exception {
    Workload workload = Workload.locate(ctx, cluster, kind, ctx.resolveText(nameArg), NAME);
    Container container =
        TemplateContainers.find(
            kind.template(workload.require()), ctx.resolveText(containerArg), workload.describe());
    ContainerEnv env = ContainerEnv.of(workload, container);
    Map<String, Object> outputs = new LinkedHashMap<>();
    outputs.put("kind", kind.word());
    outputs.put("name", workload.name());
    outputs.put("container", container.getName());
    outputs.putAll(
        rules.check(
            ctx,
            "container " + container.getName() + " of " + workload.describe(),
            env.values,
            env.unreadable));
    return outputs;
  }
}
