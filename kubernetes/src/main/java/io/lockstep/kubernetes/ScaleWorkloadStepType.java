package io.lockstep.kubernetes;

import io.lockstep.engine.model.Compensation;
import io.lockstep.engine.model.Step;
import io.lockstep.engine.model.StepContext;
import io.lockstep.engine.spi.ArgSpec;
import io.lockstep.engine.spi.StepType;
import io.lockstep.steps.StepArgs;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code scaleWorkload}: sets the replica count of a deployment or statefulset and waits until the
 * cluster shows it ({@link Scaling}), as {@code kubectl scale} followed by a wait.
 *
 * <pre>{@code
 * scaleWorkload 'stop-portal', name: 'tyk-dev-portal', replicas: 0, timeout: 2.minutes
 * }</pre>
 *
 * <p>Outputs {@code kind}, {@code name}, {@code namespace}, {@code replicas} and {@code
 * previousReplicas}. The compensation scales back to {@code previousReplicas} and waits the same
 * way.
 */
public final class ScaleWorkloadStepType implements StepType {

  static final String NAME = "scaleWorkload";

  private static final List<ArgSpec> ARGUMENTS =
      KubeArgs.workload(
          ArgSpec.required("replicas", Integer.class, "the replica count to set"),
          ArgSpec.optional(
              "timeout",
              Duration.class,
              Duration.ofMinutes(5),
              "how long the pods may take to start or stop"),
          ArgSpec.optional(
              "interval", Duration.class, Duration.ofSeconds(2), "how often to read the status"));

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String summary() {
    return "scale a deployment or statefulset and wait for it (scaled back on rollback)";
  }

  @Override
  public List<ArgSpec> arguments() {
    return ARGUMENTS;
  }

  @Override
  public Step.Builder create(String id, Map<String, Object> args) {
    WorkloadKind kind = KubeArgs.kind(NAME, id, args);
    Object name = KubeArgs.required(NAME, id, args, "name");
    Object replicasArg = args.get("replicas");
    if (!(replicasArg instanceof Number number) || number.intValue() < 0) {
      throw new IllegalArgumentException(
          NAME + " '" + id + "': replicas must be a whole number, 0 or more, got " + replicasArg);
    }
    int replicas = ((Number) replicasArg).intValue();
    Duration timeout = StepArgs.duration(args, "timeout", Duration.ofMinutes(5));
    Duration interval = StepArgs.duration(args, "interval", Duration.ofSeconds(2));
    Map<String, Object> cluster = KubeArgs.cluster(args);
    String workload = kind.word() + " " + StepArgs.display(name) + KubeArgs.inNamespace(args);
    return Step.builder(
            id,
            ctx -> {
              Workload target = locate(ctx, cluster, kind, name);
              int previous = Scaling.scale(ctx, target, replicas, timeout, interval);
              Map<String, Object> outputs = new LinkedHashMap<>();
              outputs.put("kind", kind.word());
              outputs.put("name", target.name());
              outputs.put("namespace", target.namespace());
              outputs.put("replicas", replicas);
              outputs.put("previousReplicas", previous);
              return outputs;
            })
        .type(NAME)
        .describe(
            "scale "
                + workload
                + " to "
                + replicas
                + " replicas and wait up to "
                + StepArgs.format(timeout))
        .compensation(
            Compensation.of(
                "scale " + workload + " back to its previous replica count",
                ctx -> scaleBack(ctx, cluster, kind, name, timeout, interval)))
        .idempotent(true)
        .argument("kind", kind.word())
        .argument("name", StepArgs.display(name))
        .argument("replicas", replicas)
        .argument("timeout", StepArgs.format(timeout));
  }

  private static Map<String, Object> scaleBack(
      StepContext ctx,
      Map<String, Object> cluster,
      WorkloadKind kind,
      Object name,
      Duration timeout,
      Duration interval)
      throws Exception {
    Map<String, Object> done = ctx.ownOutputs();
    Map<String, Object> where = new LinkedHashMap<>(cluster);
    where.put("namespace", done.get("namespace"));
    int previous = ((Number) done.get("previousReplicas")).intValue();
    Scaling.scale(ctx, locate(ctx, where, kind, name), previous, timeout, interval);
    return Map.of("replicas", previous);
  }

  private static Workload locate(
      StepContext ctx, Map<String, Object> cluster, WorkloadKind kind, Object name)
      throws Exception {
    return Workload.locate(ctx, cluster, kind, ctx.resolveText(name), NAME);
  }
}
