package io.lockstep.helm;

import io.lockstep.kubernetes.KubeCluster;
import io.lockstep.steps.StepFailedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The cluster as Helm gets it: helm-java takes a kubeconfig (a file or its contents) but no
 * context, so a named context is made the {@code current-context} of the contents passed; and the
 * namespace, which Helm needs explicitly.
 *
 * @param kubeconfig the contents, or {@code null} to leave the search to Helm (in-cluster)
 * @param namespace the step's, else the context's, else {@code default}
 * @param describe the cluster as messages name it
 */
record HelmCluster(String kubeconfig, String namespace, String describe) {

  static HelmCluster of(KubeCluster cluster) {
    Path file = cluster.kubeconfig() != null ? cluster.kubeconfig() : defaultKubeconfig();
    if (file == null) {
      String namespace = cluster.namespace() == null ? "default" : cluster.namespace();
      return new HelmCluster(null, namespace, cluster.describe());
    }
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new StepFailedException("cannot read kubeconfig " + file + ": " + e.getMessage(), e);
    }
    Map<String, Object> config = HelmYaml.map(text, "kubeconfig " + file);
    String context =
        cluster.context() != null ? cluster.context() : (String) config.get("current-context");
    Map<?, ?> entry = context(config, context, file, cluster.context() != null);
    String namespace = cluster.namespace();
    if (namespace == null && entry != null && entry.get("namespace") != null) {
      namespace = String.valueOf(entry.get("namespace"));
    }
    if (cluster.context() != null) {
      config.put("current-context", cluster.context());
      text = HelmYaml.dump(config);
    }
    return new HelmCluster(
        text, namespace == null ? "default" : namespace, "context " + context + " of " + file);
  }

  /** The context's {@code context:} map; fails when a context the step named is not there. */
  private static Map<?, ?> context(
      Map<String, Object> config, String name, Path file, boolean required) {
    Object contexts = config.get("contexts");
    if (contexts instanceof List<?> list) {
      for (Object item : list) {
        if (item instanceof Map<?, ?> map && name != null && name.equals(map.get("name"))) {
          return map.get("context") instanceof Map<?, ?> context ? context : Map.of();
        }
      }
    }
    if (required) {
      throw new StepFailedException(
          "kubeconfig "
              + file
              + " has no context '"
              + name
              + "'; set context on the step or its target to one of its contexts");
    }
    return null;
  }

  /** {@code KUBECONFIG}'s first file, else {@code ~/.kube/config}, as kubectl reads them. */
  private static Path defaultKubeconfig() {
    String env = System.getenv("KUBECONFIG");
    if (env != null && !env.isBlank()) {
      return Path.of(env.split(java.io.File.pathSeparator)[0]);
    }
    Path home = Path.of(System.getProperty("user.home"), ".kube", "config");
    return Files.isRegularFile(home) ? home : null;
  }
}
