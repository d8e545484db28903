package io.lockstep.kubernetes;

import io.lockstep.engine.model.Step;
import io.lockstep.engine.model.StepContext;
import io.lockstep.engine.spi.ArgSpec;
import io.lockstep.engine.spi.StepType;
import io.lockstep.steps.EditedFiles;
import io.lockstep.steps.ImageEdit;
import io.lockstep.steps.NewImage;
import io.lockstep.steps.StepArgs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * {@code setManifestImage}: sets the image of one container of a deployment or statefulset in a
 * manifest file, editing only that {@code image:} value ({@link ManifestImage}), as the Tyk OSS
 * gateway guide has the operator do by hand before {@code kubectl apply -f .}. No cluster is
 * involved: {@code applyManifest} applies the file afterwards.
 *
 * <pre>{@code
 * setManifestImage 'set-tag', file: 'manifests', name: 'tyk-gtw', tag: params.version
 * applyManifest 'apply', file: 'manifests', namespace: 'tyk'
 * }</pre>
 *
 * <p>Before it writes, the step saves the file's bytes to {@code <artifacts>/<step id>/<file
 * name>.orig}; the file is then replaced whole ({@link ImageEdit}), keeping its permissions. Run
 * again in the same run, the step keeps the first saved original.
 *
 * <p>Outputs {@code file}, {@code kind}, {@code name}, {@code container}, {@code document}, {@code
 * image}, {@code previousImage}, {@code changed}, {@code backup}, {@code originalSha256} and {@code
 * sha256}. The compensation puts the original bytes back and refuses when the file was changed
 * after the step wrote it ({@link EditedFiles#restore}). The probe accepts a file that names the
 * new image once the original is saved.
 */
public final class SetManifestImageStepType implements StepType {

  static final String NAME = "setManifestImage";

  private static final List<ArgSpec> ARGUMENTS =
      Stream.concat(
              Stream.of(KubeArgs.FILE, KubeArgs.KIND, KubeArgs.NAME), KubeArgs.NEW_IMAGE.stream())
          .toList();

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String summary() {
    return "set a container's image in a manifest file, editing only that value (restored on"
        + " rollback)";
  }

  @Override
  public List<ArgSpec> arguments() {
    return ARGUMENTS;
  }

  @Override
  public Step.Builder create(String id, Map<String, Object> args) {
    WorkloadKind kind = KubeArgs.kind(NAME, id, args);
    Object file = KubeArgs.required(NAME, id, args, "file");
    Object name = KubeArgs.required(NAME, id, args, "name");
    Object container = args.get("container");
    NewImage image = NewImage.of(NAME, id, args, "the image the manifest names");
    Edit edit = new Edit(file, kind, name, container, image);
    Object shownFile = StepArgs.display(file);
    String which = KubeArgs.container(container);
    Step.Builder step =
        Step.builder(id, edit::apply)
            .type(NAME)
            .describe(
                "set the image of "
                    + which
                    + " of "
                    + kind.word()
                    + " "
                    + StepArgs.display(name)
                    + " in "
                    + shownFile
                    + " to "
                    + image.describe())
            .compensation(
                EditedFiles.undo(
                    shownFile,
                    done ->
                        "container "
                            + done.get("container")
                            + " of "
                            + done.get("kind")
                            + " "
                            + done.get("name")
                            + " names "
                            + done.get("previousImage")
                            + " again"))
            .probe(edit::probe)
            .idempotent(true)
            .argument("file", shownFile)
            .argument("kind", kind.word())
            .argument("name", StepArgs.display(name));
    return KubeArgs.withNewImage(step, container, image);
  }

  /** The edit as the playbook gave it; resolved inside the action and the probe. */
  private record Edit(
      Object fileArg, WorkloadKind kind, Object nameArg, Object containerArg, NewImage newImage) {

    Map<String, Object> apply(StepContext ctx) throws IOException {
      ManifestImage.Target target = target(ctx);
      ManifestImage current = ManifestImage.find(StepArgs.path(ctx, fileArg), target);
      ImageEdit edit =
          ImageEdit.apply(
              ctx,
              current,
              "container " + current.container() + " of " + target.describe(),
              original -> ManifestImage.in(current.file(), original, target).image(),
              newImage);
      return outputs(target, current, edit);
    }

    Optional<Map<String, Object>> probe(StepContext ctx) throws IOException {
      ManifestImage.Target target = target(ctx);
      Path path = StepArgs.path(ctx, fileArg);
      if (!Files.exists(path)) {
        return Optional.empty(); // nothing to find, so nothing was changed
      }
      ManifestImage current = ManifestImage.find(path, target);
      return ImageEdit.probe(
              ctx,
              current,
              original -> ManifestImage.in(current.file(), original, target).image(),
              newImage)
          .map(edit -> outputs(target, current, edit));
    }

    private ManifestImage.Target target(StepContext ctx) {
      return new ManifestImage.Target(
          kind, ctx.resolveText(nameArg), ctx.resolveText(containerArg));
    }
  }

  private static Map<String, Object> outputs(
      ManifestImage.Target target, ManifestImage current, ImageEdit edit) {
    Map<String, Object> outputs = edit.outputs();
    outputs.put("kind", target.kind().word());
    outputs.put("name", target.name());
    outputs.put("container", current.container());
    outputs.put("document", current.document());
    return outputs;
  }
}
