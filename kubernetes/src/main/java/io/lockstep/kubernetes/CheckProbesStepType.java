package io.lockstep.kubernetes;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Probe;
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

/**
 * {@code checkProbes}: fails when a container's readiness or liveness probe starts before the
 * application can answer. The Tyk portal's guide asks for an {@code initialDelaySeconds} of at
 * least 60: a liveness probe that starts earlier restarts the portal while it is still migrating
 * its database, and the pod never becomes ready.
 *
 * <pre>{@code
 * checkProbes 'portal-probes', name: 'tyk-dev-portal', container: 'tyk-portal'
 * }</pre>
 *
 * <p>A probe the container does not have is not checked (it cannot restart anything early). Outputs
 * {@code initialDelaySeconds}: the delay of each probe present, by probe. Read-only.
 */
public final class CheckProbesStepType implements StepType {

  static final String NAME = "checkProbes";

  private static final List<String> PROBES = List.of("readiness", "liveness", "startup");

  private static final List<ArgSpec> ARGUMENTS =
      KubeArgs.workload(
          KubeArgs.CONTAINER,
          ArgSpec.optional(
              "minInitialDelaySeconds",
              Integer.class,
              60,
              "the least initialDelaySeconds a probe may have"),
          ArgSpec.optional(
              "probes",
              List.class,
              List.of("readiness", "liveness"),
              "which probes to check: readiness, liveness, startup"));

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String summary() {
    return "fail if a container's probes start before the application is up (initialDelaySeconds)";
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
    int minimum = StepArgs.integer(args, "minInitialDelaySeconds", 60);
    List<?> probesArg = StepArgs.list(args, "probes");
    List<String> probes =
        probesArg == null
            ? List.of("readiness", "liveness")
            : probesArg.stream().map(String::valueOf).toList();
    for (String probe : probes) {
      if (!PROBES.contains(probe)) {
        throw new IllegalArgumentException(
            NAME + " '" + id + "': probes: '" + probe + "' is not one of " + PROBES);
      }
    }
    Map<String, Object> cluster = KubeArgs.cluster(args);
    return Step.builder(id, ctx -> check(ctx, kind, name, container, minimum, probes, cluster))
        .type(NAME)
        .describe(
            "check that the "
                + String.join(" and ", probes)
                + " probes of "
                + (container == null ? "the container" : "container " + StepArgs.display(container))
                + " in "
                + kind.word()
                + " "
                + StepArgs.display(name)
                + KubeArgs.inNamespace(args)
                + " wait at least "
                + minimum
                + "s")
        .idempotent(true)
        .argument("kind", kind.word())
        .argument("name", StepArgs.display(name))
        .argument("minInitialDelaySeconds", minimum)
        .argument("probes", probes);
  }

  private static Map<String, Object> check(
      StepContext ctx,
      WorkloadKind kind,
      Object nameArg,
      Object containerArg,
      int minimum,
      List<String> probes,
      Map<String, Object> cluster)
      throws Exception {
    Workload workload = Workload.locate(ctx, cluster, kind, ctx.resolveText(nameArg), NAME);
    Container container =
        TemplateContainers.find(
            kind.template(workload.require()), ctx.resolveText(containerArg), workload.describe());
    Map<String, Object> delays = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    for (String kindOfProbe : probes) {
      Probe probe = probe(container, kindOfProbe);
      if (probe == null) {
        ctx.log("container " + container.getName() + " has no " + kindOfProbe + " probe");
        continue;
      }
      Integer delay = probe.getInitialDelaySeconds();
      delays.put(kindOfProbe, delay);
      if (delay == null || delay < minimum) {
        problems.add(
            "its "
                + kindOfProbe
                + " probe "
                + (delay == null ? "has no initialDelaySeconds" : "waits only " + delay + "s"));
      }
    }
    if (!problems.isEmpty()) {
      throw new StepFailedException(
          "container "
              + container.getName()
              + " of "
              + workload.describe()
              + ": "
              + String.join(", ", problems)
              + "; the application may be restarted before it finishes starting: set"
              + " initialDelaySeconds to at least "
              + minimum);
    }
    return Map.of("initialDelaySeconds", delays);
  }

  private static Probe probe(Container container, String kind) {
    return switch (kind) {
      case "readiness" -> container.getReadinessProbe();
      case "liveness" -> container.getLivenessProbe();
      default -> container.getStartupProbe();
    };
  }
}
