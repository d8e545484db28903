package io.lockstep.kubernetes;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.lockstep.engine.model.Compensation;
import io.lockstep.engine.model.Step;
import io.lockstep.engine.model.StepContext;
import io.lockstep.engine.spi.ArgSpec;
import io.lockstep.engine.spi.StepType;
import io.lockstep.steps.NewImage;
import io.lockstep.steps.StepArgs;
import io.lockstep.steps.StepFailedException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code setWorkloadImage}: sets the image of one container in a deployment's or statefulset's pod
 * template, as {@code kubectl set image} does; the controller then rolls the pods ({@code
 * waitRollout} waits for it).
 *
 * <pre>{@code
 * setWorkloadImage 'set-image', name: 'tyk-dev-portal', container: 'tyk-portal',
 *     image: "tykio/portal:${params.version}"
 * setWorkloadImage 'set-image', kind: 'statefulset', name: 'tyk-db', tag: '15.6'
 * }</pre>
 *
 * <p>Before it writes, the step saves the previous image and pod template in its artifacts ({@link
 * SavedState}); the write carries the resource version it read, so a concurrent change is refused
 * rather than overwritten. Outputs {@code kind}, {@code name}, {@code namespace}, {@code
 * container}, {@code image}, {@code previousImage}, {@code changed}, {@code previousSpec} (the pod
 * template as JSON) and {@code generation}. The compensation puts the previous image back, and
 * refuses when the container's image was changed by someone else since; for a statefulset it also
 * deletes the pods not ready on the new image ({@link ForcedRollback}). The probe accepts a
 * container that already runs the new image once the previous one is saved.
 */
public final class SetWorkloadImageStepType implements StepType {

  static final String NAME = "setWorkloadImage";

  private static final List<ArgSpec> ARGUMENTS =
      KubeArgs.workload(KubeArgs.NEW_IMAGE.toArray(ArgSpec[]::new));

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String summary() {
    return "set a container's image in a deployment or statefulset (put back on rollback)";
  }

  @Override
  public List<ArgSpec> arguments() {
    return ARGUMENTS;
  }

  @Override
  public Step.Builder create(String id, Map<String, Object> args) {
    WorkloadKind kind = KubeArgs.kind(NAME, id, args);
    Object name = KubeArgs.required(NAME, id, args, "name");
    Object container = args.get("container");
    NewImage image = NewImage.of(NAME, id, args, "the container's current image");
    Edit edit = new Edit(kind, name, container, image, KubeArgs.cluster(args));
    String workload = kind.word() + " " + StepArgs.display(name) + KubeArgs.inNamespace(args);
    String which = KubeArgs.container(container);
    Step.Builder step =
        Step.builder(id, edit::apply)
            .type(NAME)
            .describe("set image of " + which + " in " + workload + " to " + image.describe())
            .compensation(
                Compensation.of(
                    "put the previous image of "
                        + which
                        + " in "
                        + workload
                        + " back (refused if someone changed it since)"
                        + (kind == WorkloadKind.STATEFULSET
                            ? ", and delete its pods not ready on the new image, which a"
                                + " statefulset does not replace by itself"
                            : ""),
                    edit::restore))
            .probe(edit::probe)
            .idempotent(true)
            .argument("kind", kind.word())
            .argument("name", StepArgs.display(name));
    return KubeArgs.withNewImage(step, container, image);
  }

  /** The edit as the playbook gave it; resolved inside the action, the probe and the undo. */
  private record Edit(
      WorkloadKind kind,
      Object nameArg,
      Object containerArg,
      NewImage newImage,
      Map<String, Object> cluster) {

    Map<String, Object> apply(StepContext ctx) throws Exception {
      Workload workload = locate(ctx, cluster);
      HasMetadata current = workload.require();
      PodTemplateSpec template = workload.kind().template(current);
      Container container =
          TemplateContainers.find(template, ctx.resolveText(containerArg), workload.describe());
      Path saved = savedFile(ctx, workload);
      Map<String, Object> previous = SavedState.read(saved);
      if (previous == null) {
        previous = new LinkedHashMap<>();
        previous.put("previousImage", container.getImage());
        previous.put("previousSpec", Serialization.asJson(template));
        SavedState.write(saved, previous);
      } else {
        ctx.log(
            "continuing with the previous image of " + workload.describe() + " saved in " + saved);
      }
      String previousImage = String.valueOf(previous.get("previousImage"));
      String image = newImage.resolve(ctx, previousImage);
      HasMetadata written = current;
      if (image.equals(container.getImage())) {
        ctx.log(
            "container "
                + container.getName()
                + " of "
                + workload.describe()
                + " already runs "
                + image);
      } else {
        String before = container.getImage();
        container.setImage(image);
        written = workload.update(current);
        ctx.log(
            "set image of container "
                + container.getName()
                + " in "
                + workload.describe()
                + ": "
                + before
                + " -> "
                + image
                + " (generation "
                + written.getMetadata().getGeneration()
                + ")");
      }
      return outputs(workload, container.getName(), image, previous, written);
    }

    Optional<Map<String, Object>> probe(StepContext ctx) throws Exception {
      Workload workload = locate(ctx, cluster);
      Map<String, Object> previous = SavedState.read(savedFile(ctx, workload));
      HasMetadata current = workload.find();
      if (previous == null || current == null) {
        return Optional.empty(); // nothing was changed yet
      }
      Container container =
          TemplateContainers.find(
              workload.kind().template(current),
              ctx.resolveText(containerArg),
              workload.describe());
      String image = newImage.resolve(ctx, String.valueOf(previous.get("previousImage")));
      if (!image.equals(container.getImage())) {
        return Optional.empty();
      }
      return Optional.of(outputs(workload, container.getName(), image, previous, current));
    }

    /**
     * Puts the previous image back when the container still runs the image the step set. Another
     * image means someone changed it since: the undo refuses rather than discard that change.
     */
    Map<String, Object> restore(StepContext ctx) throws Exception {
      Map<String, Object> done = ctx.ownOutputs();
      Map<String, Object> where = new LinkedHashMap<>(cluster);
      where.put("namespace", done.get("namespace"));
      Workload workload = locate(ctx, where);
      String containerName = String.valueOf(done.get("container"));
      String previousImage = String.valueOf(done.get("previousImage"));
      String image = String.valueOf(done.get("image"));
      if (Boolean.FALSE.equals(done.get("changed"))) {
        ctx.log(
            "nothing to undo: container "
                + containerName
                + " of "
                + workload.describe()
                + " already ran "
                + image);
        return Map.of();
      }
      HasMetadata current = workload.require();
      Container container =
          TemplateContainers.find(
              workload.kind().template(current), containerName, workload.describe());
      Map<String, Object> outputs = new LinkedHashMap<>();
      outputs.put("image", previousImage);
      if (previousImage.equals(container.getImage())) {
        ctx.log(
            "container "
                + containerName
                + " of "
                + workload.describe()
                + " already runs "
                + previousImage);
        outputs.put("restored", false);
      } else if (!image.equals(container.getImage())) {
        throw new StepFailedException(
            "refusing to put image "
                + previousImage
                + " back on container "
                + containerName
                + " of "
                + workload.describe()
                + ": it runs "
                + container.getImage()
                + " now, not "
                + image
                + " as step '"
                + ctx.stepId()
                + "' set it, so someone changed it since. If the previous image should return, set"
                + " it by hand (kubectl set image "
                + workload.kind().word()
                + "/"
                + workload.name()
                + " "
                + containerName
                + "="
                + previousImage
                + " -n "
                + workload.namespace()
                + "), then run the rollback again");
      } else {
        container.setImage(previousImage);
        HasMetadata written = workload.update(current);
        ctx.log(
            "put image "
                + previousImage
                + " back on container "
                + containerName
                + " of "
                + workload.describe()
                + " (was "
                + image
                + ")");
        outputs.put("restored", true);
        outputs.put("generation", written.getMetadata().getGeneration());
      }
      if (workload.kind() == WorkloadKind.STATEFULSET) {
        // Also when the image was back already: a rollback resumed after a crash gets here again.
        List<String> deleted =
            ForcedRollback.deleteStuckPods(ctx, workload, current, containerName, image);
        if (!deleted.isEmpty()) {
          outputs.put("deletedPods", deleted);
        }
      }
      return outputs;
    }

    private Workload locate(StepContext ctx, Map<String, Object> settings) throws Exception {
      return Workload.locate(ctx, settings, kind, ctx.resolveText(nameArg), NAME);
    }
  }

  private static Path savedFile(StepContext ctx, Workload workload) {
    return SavedState.file(ctx, workload.kind().word() + "-" + workload.name() + ".previous.json");
  }

  private static Map<String, Object> outputs(
      Workload workload,
      String container,
      String image,
      Map<String, Object> previous,
      HasMetadata written) {
    Map<String, Object> outputs = new LinkedHashMap<>();
    outputs.put("kind", workload.kind().word());
    outputs.put("name", workload.name());
    outputs.put("namespace", workload.namespace());
    outputs.put("container", container);
    outputs.put("image", image);
    outputs.put("previousImage", previous.get("previousImage"));
    outputs.put("changed", !image.equals(previous.get("previousImage")));
    outputs.put("previousSpec", previous.get("previousSpec"));
    outputs.put("generation", written.getMetadata().getGeneration());
    return outputs;
  }
}
