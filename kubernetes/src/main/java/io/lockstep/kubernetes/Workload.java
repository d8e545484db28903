package io.lockstep.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.lockstep.engine.model.StepContext;
import io.lockstep.steps.StepFailedException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * One deployment or statefulset a step acts on, located at run time: its cluster, namespace, kind
 * and name. Reads and writes go through {@link KubeCalls}, so failures name the workload.
 */
final class Workload {

  private final KubeCluster cluster;
  private final KubernetesClient client;
  private final WorkloadKind kind;
  private final String name;
  private final String namespace;

  private Workload(
      KubeCluster cluster,
      KubernetesClient client,
      WorkloadKind kind,
      String name,
      String namespace) {
    this.cluster = cluster;
    this.client = client;
    this.kind = kind;
    this.name = name;
    this.namespace = namespace;
  }

  /**
   * Locates the workload named by a step's arguments.
   *
   * @param args the step's arguments as the playbook gave them (cluster settings among them)
   * @param type the step type, for messages
   */
  static Workload locate(
      StepContext ctx, Map<String, Object> args, WorkloadKind kind, String name, String type)
      throws Exception {
    KubeCluster cluster = KubeCluster.resolve(ctx, args, type + " '" + ctx.stepId() + "'");
    KubernetesClient client = cluster.client(ctx);
    return new Workload(cluster, client, kind, name, cluster.namespace(client));
  }

  KubeCluster cluster() {
    return cluster;
  }

  KubernetesClient client() {
    return client;
  }

  WorkloadKind kind() {
    return kind;
  }

  String name() {
    return name;
  }

  String namespace() {
    return namespace;
  }

  /** {@code deployment tyk-gtw (namespace tyk)}, as messages name it. */
  String describe() {
    return kind.word() + " " + name + " (namespace " + namespace + ")";
  }

  /** The workload as the server has it now, or {@code null} when there is none. */
  HasMetadata find() {
    return call("read " + describe(), () -> kind.get(client, namespace, name));
  }

  /**
   * The workload as the server has it now.
   *
   * @throws StepFailedException saying where the step looked when there is none
   */
  HasMetadata require() {
    HasMetadata workload = find();
    if (workload == null) {
      throw new StepFailedException(
          kind.word()
              + " "
              + name
              + " not found in namespace "
              + namespace
              + " ("
              + cluster.describe(client)
              + "); check the name, the namespace and the context (kubectl get "
              + kind.word()
              + "s -n "
              + namespace
              + ")");
    }
    return workload;
  }

  /**
   * Writes {@code changed}, which was read with its resource version: a write by someone else in
   * between is refused by the server rather than overwritten.
   */
  HasMetadata update(HasMetadata changed) {
    try {
      return client.resource(changed).inNamespace(namespace).update();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        throw new StepFailedException(
            describe()
                + " was changed by someone else while the step was writing it ("
                + KubeCalls.reason(e)
                + "); run the step again",
            e);
      }
      throw KubeCalls.translate(cluster, client, "update " + describe(), e);
    }
  }

  /** The pods the workload's selector matches, by name. */
  List<Pod> pods(HasMetadata workload) {
    LabelSelector selector = kind.selector(workload);
    return call(
        "list the pods of " + describe(),
        () ->
            client
                .pods()
                .inNamespace(namespace)
                .withLabelSelector(selector)
                .list()
                .getItems()
                .stream()
                .sorted(Comparator.comparing(pod -> pod.getMetadata().getName()))
                .toList());
  }

  /** Runs a call to the API server with failures named for the user. */
  <T> T call(String what, java.util.function.Supplier<T> call) {
    return KubeCalls.call(cluster, client, what, call);
  }
}
