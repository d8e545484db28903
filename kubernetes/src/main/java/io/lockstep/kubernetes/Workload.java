package io.lockstep.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
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

  /** The last version read, for {@link #update}'s conflict check: callers read, then write. */
  private HasMetadata lastRead;

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
    HasMetadata found = call("read " + describe(), () -> kind.get(client, namespace, name));
    if (found != null) {
      // A copy, since callers change what they read before they write it back.
      lastRead = Serialization.unmarshal(Serialization.asJson(found), HasMetadata.class);
    }
    return found;
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
   * Writes {@code changed}, a workload this step read and then changed. The write carries the
   * resource version read, so a concurrent write makes it fail with a conflict. A conflict caused
   * only by a status write (the controller writes status all through a rollout) is not someone's
   * change: the write is tried again on the new version, up to {@value #WRITE_ATTEMPTS} times. When
   * the spec changed since the read, the write is refused rather than overwrite that change.
   */
  HasMetadata update(HasMetadata changed) {
    Object specAsRead = spec(changed.getMetadata().getResourceVersion());
    for (int attempt = 1; ; attempt++) {
      try {
        return client.resource(changed).inNamespace(namespace).update();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          throw KubeCalls.translate(cluster, client, "update " + describe(), e);
        }
        HasMetadata now = require();
        if (attempt == WRITE_ATTEMPTS || specAsRead == null || !specAsRead.equals(spec(now))) {
          throw new StepFailedException(
              describe()
                  + " was changed by someone else while the step was writing it ("
                  + KubeCalls.reason(e)
                  + "); run the step again",
              e);
        }
        changed.getMetadata().setResourceVersion(now.getMetadata().getResourceVersion());
      }
    }
  }

  private static final int WRITE_ATTEMPTS = 5;

  /** The spec of the version last read, when it is {@code resourceVersion}; else {@code null}. */
  private Object spec(String resourceVersion) {
    HasMetadata read = lastRead;
    return read == null || !read.getMetadata().getResourceVersion().equals(resourceVersion)
        ? null
        : spec(read);
  }

  private static Object spec(HasMetadata workload) {
    return Serialization.unmarshal(Serialization.asJson(workload), Map.class).get("spec");
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
