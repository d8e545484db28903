package io.lockstep.kubernetes;

import io.lockstep.engine.model.Step;
import io.lockstep.engine.spi.ArgSpec;
import io.lockstep.steps.NewImage;
import io.lockstep.steps.StepArgs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Arguments the Kubernetes step types share, and reading them when a step is created. */
final class KubeArgs {

  static final ArgSpec KIND =
      ArgSpec.optional("kind", String.class, "deployment", "'deployment' or 'statefulset'");

  static final ArgSpec NAME = ArgSpec.required("name", String.class, "name of the workload");

  static final ArgSpec FILE =
      ArgSpec.required("file", String.class, "a YAML manifest, or a directory of .yaml/.yml files");

  static final ArgSpec CONTAINER =
      ArgSpec.optional(
          "container",
          String.class,
          null,
          "container in the pod template (optional when it has only one)");

  /** The image-setting steps' arguments: which container, and its new image or tag. */
  static final List<ArgSpec> NEW_IMAGE =
      List.of(
          CONTAINER,
          ArgSpec.optional("image", String.class, null, "the whole image reference"),
          ArgSpec.optional("tag", String.class, null, "only a new tag for the current image"));

  private KubeArgs() {}

  /** {@code kind} and {@code name}, then the cluster settings: the arguments of a workload step. */
  static List<ArgSpec> workload(ArgSpec... own) {
    List<ArgSpec> all = new ArrayList<>(List.of(KIND, NAME));
    all.addAll(List.of(own));
    all.addAll(KubeCluster.ARGUMENTS);
    return List.copyOf(all);
  }

  /** A required text argument that must not be empty, unresolved (may be a template). */
  static Object required(String type, String id, Map<String, Object> args, String name) {
    Object value = StepArgs.text(args, name);
    if (value == null || value.toString().isBlank()) {
      throw new IllegalArgumentException(type + " '" + id + "': " + name + " must not be empty");
    }
    return value;
  }

  /** The workload kind a step names; checked when the step is created. */
  static WorkloadKind kind(String type, String id, Map<String, Object> args) {
    Object kind = args.get("kind");
    try {
      return WorkloadKind.of(kind == null ? null : kind.toString());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(type + " '" + id + "': " + e.getMessage(), e);
    }
  }

  /** For plans: {@code container tyk-gtw}, or {@code the container} when the step names none. */
  static String container(Object container) {
    return container == null ? "the container" : "container " + StepArgs.display(container);
  }

  /** Adds {@code container} (when given) and the image or tag to the plan's arguments. */
  static Step.Builder withNewImage(Step.Builder step, Object container, NewImage image) {
    if (container != null) {
      step.argument("container", StepArgs.display(container));
    }
    return image.addTo(step);
  }

  /** The cluster settings as the playbook gave them, for {@link KubeCluster#resolve}. */
  static Map<String, Object> cluster(Map<String, Object> args) {
    Map<String, Object> settings = new java.util.HashMap<>();
    KubeCluster.SETTINGS.forEach(
        name -> {
          if (args.get(name) != null) {
            settings.put(name, args.get(name));
          }
        });
    return settings;
  }

  /** " (namespace tyk)" for plans when the playbook names one, else nothing. */
  static String inNamespace(Map<String, Object> args) {
    Object namespace = args.get("namespace");
    return namespace == null ? "" : " (namespace " + StepArgs.display(namespace) + ")";
  }
}
