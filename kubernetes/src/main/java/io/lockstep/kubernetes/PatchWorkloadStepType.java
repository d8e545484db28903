package io.lockstep.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentSpec;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetSpec;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.lockstep.engine.model.Compensation;
import io.lockstep.engine.model.Step;
import io.lockstep.engine.model.StepContext;
import io.lockstep.engine.spi.ArgSpec;
import io.lockstep.engine.spi.StepType;
import io.lockstep.steps.StepArgs;
import io.lockstep.steps.StepFailedException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code patchWorkload}: patches a deployment or statefulset, as {@code kubectl patch}, recording
 * its spec before and after.
 *
 * <pre>{@code
 * patchWorkload 'probe-delay', name: 'tyk-dev-portal', patch: [spec: [template: [spec: [containers:
 *     [[name: 'tyk-portal', livenessProbe: [initialDelaySeconds: 60]]]]]]]
 * }</pre>
 *
 * <p>{@code type} is {@code strategic} (Kubernetes' strategic merge patch: lists of containers
 * merge by name) or {@code merge} (a JSON merge patch: lists are replaced). Outputs {@code kind},
 * {@code name}, {@code namespace}, {@code previousSpec} and {@code spec} (JSON) and {@code
 * generation}. The compensation puts the previous spec back, and refuses when the spec was changed
 * since the patch.
 */
public final class PatchWorkloadStepType implements StepType {

  static final String NAME = "patchWorkload";

  private static final List<ArgSpec> ARGUMENTS =
      KubeArgs.workload(
          ArgSpec.required("patch", Map.class, "the patch, as a map"),
          ArgSpec.optional("type", String.class, "strategic", "'strategic' or 'merge'"));

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String summary() {
    return "patch a deployment or statefulset (previous spec put back on rollback)";
  }

  @Override
  public List<ArgSpec> arguments() {
    return ARGUMENTS;
  }

  @Override
  public Step.Builder create(String id, Map<String, Object> args) {
    WorkloadKind kind = KubeArgs.kind(NAME, id, args);
    Object name = KubeArgs.required(NAME, id, args, "name");
    Map<?, ?> patch = StepArgs.map(args, "patch");
    if (patch == null || patch.isEmpty()) {
      throw new IllegalArgumentException(NAME + " '" + id + "': patch must be a non-empty map");
    }
    String typeArg = args.get("type") == null ? "strategic" : args.get("type").toString();
    PatchType type =
        switch (typeArg) {
          case "strategic" -> PatchType.STRATEGIC_MERGE;
          case "merge" -> PatchType.JSON_MERGE;
          default ->
              throw new IllegalArgumentException(
                  NAME
                      + " '"
                      + id
                      + "': type must be 'strategic' or 'merge', got '"
                      + typeArg
                      + "'");
        };
    Map<String, Object> cluster = KubeArgs.cluster(args);
    String workload = kind.word() + " " + StepArgs.display(name) + KubeArgs.inNamespace(args);
    return Step.builder(id, ctx -> apply(ctx, kind, name, patch, type, cluster))
        .type(NAME)
        .describe("patch " + workload + " (" + typeArg + " patch)")
        .compensation(
            Compensation.of(
                "put the previous spec of " + workload + " back (refused if it changed since)",
                ctx -> restore(ctx, kind, name, cluster)))
        .argument("kind", kind.word())
        .argument("name", StepArgs.display(name))
        .argument("type", typeArg);
  }

  private static Map<String, Object> apply(
      StepContext ctx,
      WorkloadKind kind,
      Object nameArg,
      Map<?, ?> patch,
      PatchType type,
      Map<String, Object> cluster)
      throws Exception {
    Workload workload = Workload.locate(ctx, cluster, kind, ctx.resolveText(nameArg), NAME);
    HasMetadata before = workload.require();
    String json = Serialization.asJson(ctx.resolve(patch));
    HasMetadata after =
        workload.call(
            "patch " + workload.describe(),
            () ->
                workload
                    .client()
                    .resource(before)
                    .inNamespace(workload.namespace())
                    .patch(PatchContext.of(type), json));
    ctx.log(
        "patched "
            + workload.describe()
            + " (generation "
            + after.getMetadata().getGeneration()
            + ")");
    Map<String, Object> outputs = new LinkedHashMap<>();
    outputs.put("kind", kind.word());
    outputs.put("name", workload.name());
    outputs.put("namespace", workload.namespace());
    outputs.put("previousSpec", Serialization.asJson(spec(before)));
    outputs.put("spec", Serialization.asJson(spec(after)));
    outputs.put("generation", after.getMetadata().getGeneration());
    return outputs;
  }

  private static Map<String, Object> restore(
      StepContext ctx, WorkloadKind kind, Object nameArg, Map<String, Object> cluster)
      throws Exception {
    Map<String, Object> done = ctx.ownOutputs();
    Map<String, Object> where = new LinkedHashMap<>(cluster);
    where.put("namespace", done.get("namespace"));
    Workload workload = Workload.locate(ctx, where, kind, ctx.resolveText(nameArg), NAME);
    HasMetadata current = workload.require();
    String now = Serialization.asJson(spec(current));
    if (now.equals(done.get("previousSpec"))) {
      ctx.log(workload.describe() + " already has its previous spec");
      return Map.of("restored", false);
    }
    if (!now.equals(done.get("spec"))) {
      throw new StepFailedException(
          "refusing to put the previous spec of "
              + workload.describe()
              + " back: its spec was changed after step '"
              + ctx.stepId()
              + "' patched it, and restoring would discard that change. The previous spec is in"
              + " the step's output previousSpec: compare, apply it by hand if it should return,"
              + " then run the rollback again");
    }
    String previous = String.valueOf(done.get("previousSpec"));
    if (current instanceof Deployment d) {
      d.setSpec(Serialization.unmarshal(previous, DeploymentSpec.class));
    } else {
      ((StatefulSet) current).setSpec(Serialization.unmarshal(previous, StatefulSetSpec.class));
    }
    workload.update(current);
    ctx.log("put the previous spec of " + workload.describe() + " back");
    return Map.of("restored", true);
  }

  private static Object spec(HasMetadata workload) {
    return workload instanceof Deployment d ? d.getSpec() : ((StatefulSet) workload).getSpec();
  }
}
