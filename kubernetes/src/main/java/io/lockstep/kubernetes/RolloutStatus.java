package io.lockstep.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Where a workload's rollout stands, read from its status as {@code kubectl rollout status} reads
 * it: the controller has seen the latest spec (observed generation), and every replica runs it and
 * is ready (a deployment: updated, ready, available, no old replica left; a statefulset: its
 * current revision is the update revision).
 *
 * @param stalled the reason the controller gave up ({@code Progressing} false) on the latest spec,
 *     or {@code null}
 */
record RolloutStatus(
    boolean observed,
    boolean revisionCurrent,
    int desired,
    int current,
    int updated,
    int ready,
    int available,
    String stalled) {

  static RolloutStatus of(WorkloadKind kind, HasMetadata workload) {
    int desired = kind.replicas(workload);
    Long generation = workload.getMetadata().getGeneration();
    if (workload instanceof Deployment deployment) {
      DeploymentStatus status =
          deployment.getStatus() == null ? new DeploymentStatus() : deployment.getStatus();
      boolean observed = observed(generation, status.getObservedGeneration());
      return new RolloutStatus(
          observed,
          true,
          desired,
          count(status.getReplicas()),
          count(status.getUpdatedReplicas()),
          count(status.getReadyReplicas()),
          count(status.getAvailableReplicas()),
          // A deadline condition the controller wrote before the latest change is about the spec
          // before it: a rollback applied right after a stalled rollout would read as stalled too.
          observed ? stalled(status) : null);
    }
    StatefulSet statefulSet = (StatefulSet) workload;
    StatefulSetStatus status =
        statefulSet.getStatus() == null ? new StatefulSetStatus() : statefulSet.getStatus();
    return new RolloutStatus(
        observed(generation, status.getObservedGeneration()),
        Objects.equals(status.getUpdateRevision(), status.getCurrentRevision()),
        desired,
        count(status.getReplicas()),
        // Before its first rollout a statefulset may not report updated replicas.
        status.getUpdatedReplicas() == null
            ? count(status.getCurrentReplicas())
            : status.getUpdatedReplicas(),
        count(status.getReadyReplicas()),
        status.getAvailableReplicas() == null
            ? count(status.getReadyReplicas())
            : status.getAvailableReplicas(),
        null);
  }

  /** Whether every replica runs the latest spec and is ready. */
  boolean done() {
    return observed
        && revisionCurrent
        && updated == desired
        && ready == desired
        && available == desired
        && current == desired;
  }

  /** {@code 1 of 2 replicas updated, 0 available}, or what else keeps the rollout from done. */
  String progress() {
    if (!observed) {
      return "the controller has not yet seen the latest change";
    }
    String text =
        updated
            + " of "
            + desired
            + (desired == 1 ? " replica" : " replicas")
            + " updated, "
            + ready
            + " ready, "
            + available
            + " available";
    if (current > desired) {
      text += ", " + (current - desired) + " old still running";
    }
    return revisionCurrent ? text : text + ", revision not yet current";
  }

  Map<String, Object> outputs() {
    Map<String, Object> outputs = new LinkedHashMap<>();
    outputs.put("replicas", desired);
    outputs.put("updatedReplicas", updated);
    outputs.put("readyReplicas", ready);
    outputs.put("availableReplicas", available);
    return outputs;
  }

  private static boolean observed(Long generation, Long observedGeneration) {
    return generation == null || observedGeneration != null && observedGeneration >= generation;
  }

  private static int count(Integer value) {
    return value == null ? 0 : value;
  }

  /** The message of a {@code Progressing} condition that is false: the deadline passed. */
  private static String stalled(DeploymentStatus status) {
    if (status.getConditions() == null) {
      return null;
    }
    for (DeploymentCondition condition : status.getConditions()) {
      if ("Progressing".equals(condition.getType()) && "False".equals(condition.getStatus())) {
        return condition.getReason()
            + (condition.getMessage() == null ? "" : " (" + condition.getMessage() + ")");
      }
    }
    return null;
  }
}
