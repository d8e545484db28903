package io.lockstep.kubernetes;

import io.fabric8.kubernetes.api.model.Pod;
import io.lockstep.engine.model.StepContext;
import io.lockstep.steps.StepArgs;
import io.lockstep.steps.StepFailedException;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pods a step reads: those of a workload ({@code name:}, with {@code kind:}) or those a label
 * selector matches ({@code selector: [app: 'tyk-gtw']} or {@code 'app=tyk-gtw,tier=edge'}).
 *
 * @param nameArg the workload's name, or {@code null}
 * @param selectorArg the selector, or {@code null}
 */
record PodSelection(WorkloadKind kind, Object nameArg, Object selectorArg) {

  /**
   * Reads the selection of a step.
   *
   * @throws IllegalArgumentException when neither or both are given
   */
  static PodSelection of(String type, String id, Map<String, Object> args) {
    Object name = args.get("name");
    Object selector = args.get("selector");
    if ((name == null) == (selector == null)) {
      throw new IllegalArgumentException(
          type
              + " '"
              + id
              + "': give exactly one of name (the deployment or statefulset whose pods to read)"
              + " or selector (labels, such as [app: 'tyk-gtw'])");
    }
    return new PodSelection(KubeArgs.kind(type, id, args), name, selector);
  }

  /** {@code the pods of deployment x}, {@code the pods labelled app=x}, for plans. */
  String describe() {
    return nameArg != null
        ? "the pods of " + kind.word() + " " + StepArgs.display(nameArg)
        : "the pods labelled " + StepArgs.display(selectorArg);
  }

  /** The selected pods, by name. */
  List<Pod> pods(StepContext ctx, Map<String, Object> cluster, String type) throws Exception {
    if (nameArg != null) {
      Workload workload = Workload.locate(ctx, cluster, kind, ctx.resolveText(nameArg), type);
      return workload.pods(workload.require());
    }
    KubeCluster settings = KubeCluster.resolve(ctx, cluster, type + " '" + ctx.stepId() + "'");
    var client = settings.client(ctx);
    String namespace = settings.namespace(client);
    Map<String, String> labels = labels(ctx.resolve(selectorArg));
    return KubeCalls.call(
        settings,
        client,
        "list the pods labelled " + labels + " in namespace " + namespace,
        () ->
            client.pods().inNamespace(namespace).withLabels(labels).list().getItems().stream()
                .sorted(Comparator.comparing(pod -> pod.getMetadata().getName()))
                .toList());
  }

  private static Map<String, String> labels(Object selector) {
    Map<String, String> labels = new LinkedHashMap<>();
    if (selector instanceof Map<?, ?> map) {
      map.forEach((k, v) -> labels.put(String.valueOf(k), String.valueOf(v)));
      return labels;
    }
    for (String pair : String.valueOf(selector).split(",")) {
      String[] parts = pair.split("=", 2);
      if (parts.length != 2 || parts[0].isBlank()) {
        throw new StepFailedException(
            "selector '"
                + selector
                + "' is not a list of label=value pairs: write it as 'app=tyk-gtw,tier=edge'"
                + " or [app: 'tyk-gtw']");
      }
      labels.put(parts[0].strip(), parts[1].strip());
    }
    return labels;
  }
}
