package io.lockstep.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Locale;

/**
 * The workloads the steps act on. Both keep their pods in a pod template and their size in {@code
 * spec.replicas}; they differ in how a finished rollout shows in their status ({@link Rollout}).
 */
enum WorkloadKind {
  DEPLOYMENT("deployment", "deployment.apps"),
  STATEFULSET("statefulset", "statefulset.apps");

  private final String word;
  private final String resource;

  WorkloadKind(String word, String resource) {
    this.word = word;
    this.resource = resource;
  }

  /**
   * The kind a playbook names; {@code null} is a deployment.
   *
   * @throws IllegalArgumentException for another word
   */
  static WorkloadKind of(String text) {
    if (text == null || text.isBlank()) {
      return DEPLOYMENT;
    }
    String word = text.strip().toLowerCase(Locale.ROOT);
    for (WorkloadKind kind : values()) {
      if (kind.word.equals(word) || (kind.word + "s").equals(word)) {
        return kind;
      }
    }
    throw new IllegalArgumentException(
        "kind '" + text + "' is not a workload kind: use 'deployment' or 'statefulset'");
  }

  /** {@code deployment}, as messages and outputs name the kind. */
  String word() {
    return word;
  }

  /** {@code deployment.apps}, as kubectl names the resource. */
  String resource() {
    return resource;
  }

  /** The workload as the server has it, or {@code null} when there is none. */
  HasMetadata get(KubernetesClient client, String namespace, String name) {
    return switch (this) {
      case DEPLOYMENT -> client.apps().deployments().inNamespace(namespace).withName(name).get();
      case STATEFULSET -> client.apps().statefulSets().inNamespace(namespace).withName(name).get();
    };
  }

  /** Whether {@code object}, as read from a manifest, is a workload of this kind. */
  boolean isKindOf(HasMetadata object) {
    return switch (this) {
      case DEPLOYMENT -> object instanceof Deployment;
      case STATEFULSET -> object instanceof StatefulSet;
    };
  }

  PodTemplateSpec template(HasMetadata workload) {
    if (workload instanceof Deployment d) {
      return d.getSpec().getTemplate();
    }
    return statefulSet(workload).getSpec().getTemplate();
  }

  /** {@code spec.replicas}; Kubernetes reads a missing value as 1. */
  int replicas(HasMetadata workload) {
    Integer replicas =
        workload instanceof Deployment d
            ? d.getSpec().getReplicas()
            : statefulSet(workload).getSpec().getReplicas();
    return replicas == null ? 1 : replicas;
  }

  void setReplicas(HasMetadata workload, int replicas) {
    if (workload instanceof Deployment d) {
      d.getSpec().setReplicas(replicas);
    } else {
      statefulSet(workload).getSpec().setReplicas(replicas);
    }
  }

  LabelSelector selector(HasMetadata workload) {
    if (workload instanceof Deployment d) {
      return d.getSpec().getSelector();
    }
    return statefulSet(workload).getSpec().getSelector();
  }

  private static StatefulSet statefulSet(HasMetadata workload) {
    if (workload instanceof StatefulSet s) {
      return s;
    }
    throw new IllegalStateException("not a workload: " + workload.getKind());
  }
}
