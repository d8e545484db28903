package io.lockstep.kubernetes;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.lockstep.engine.model.StepContext;
import io.lockstep.steps.StepArgs;
import io.lockstep.steps.StepFailedException;
import java.util.List;
import java.util.Map;

/**
 * The one pod a command runs in: named ({@code pod:}) or the first ready pod, by name, of a
 * workload ({@code name:}, with {@code kind:}).
 */
record PodTarget(Object podArg, WorkloadKind kind, Object workloadArg) {

  /** {@code pod x}, {@code the first ready pod of deployment y}, for plans. */
  String describe() {
    return podArg != null
        ? "pod " + StepArgs.display(podArg)
        : "the first ready pod of " + kind.word() + " " + StepArgs.display(workloadArg);
  }

  /** The pod's name. */
  String resolve(StepContext ctx, Map<String, Object> cluster, String type) throws Exception {
    if (podArg != null) {
      return ctx.resolveText(podArg);
    }
    Workload workload = Workload.locate(ctx, cluster, kind, ctx.resolveText(workloadArg), type);
    List<Pod> pods = workload.pods(workload.require());
    return pods.stream()
        .filter(PodTarget::ready)
        .findFirst()
        .map(pod -> pod.getMetadata().getName())
        .orElseThrow(
            () ->
                new StepFailedException(
                    workload.describe()
                        + " has no ready pod to run the command in ("
                        + pods.size()
                        + (pods.size() == 1 ? " pod" : " pods")
                        + ", none ready); wait for it with waitRollout first"));
  }

  static boolean ready(Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
      return false;
    }
    for (PodCondition condition : pod.getStatus().getConditions()) {
      if ("Ready".equals(condition.getType())) {
        return "True".equals(condition.getStatus());
      }
    }
    return false;
  }
}
