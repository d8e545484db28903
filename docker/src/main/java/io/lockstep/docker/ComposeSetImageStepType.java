package io.lockstep.docker;

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

/**
 * {@code composeSetImage}: sets the image of one service in a compose file, editing only the value
 * of its {@code image:} line ({@link ComposeFile}): comments, order, quoting and every other byte
 * stay.
 *
 * <pre>{@code
 * composeSetImage 'set-tag', file: 'docker-compose.yaml', service: 'tyk-portal',
 *     image: "registry.example.com/tyk-portal:${params.version}"
 * composeSetImage 'set-tag', file: 'docker-compose.yaml', service: 'tyk-portal', tag: params.version
 * }</pre>
 *
 * <p>Before it writes, the step saves the file's bytes to {@code <artifacts>/<step id>/<file
 * name>.orig} (forced to disk, then renamed into place); the file is then replaced whole (a
 * temporary file renamed over it, with its permissions). Run again in the same run, the step keeps
 * the first saved original.
 *
 * <p>Outputs {@code file}, {@code service}, {@code image}, {@code previousImage}, {@code changed},
 * {@code backup} (the saved original), {@code originalSha256} and {@code sha256} (of the file as
 * the step wrote it). The default compensation puts the original bytes back, and refuses when the
 * file was changed after the step wrote it rather than overwrite someone's edit. The probe accepts
 * a file that names the new image once the original is saved.
 */
public final class ComposeSetImageStepType implements StepType {

  private static final List<ArgSpec> ARGUMENTS =
      List.of(
          ComposeArgs.FILE,
          ComposeArgs.SERVICE,
          ArgSpec.optional(
              "image", String.class, null, "the whole image reference, registry/name:tag"),
          ArgSpec.optional(
              "tag", String.class, null, "only a new tag for the image the file names now"));

  @Override
  public String name() {
    return "composeSetImage";
  }

  @Override
  public String summary() {
    return "set a service's image in a compose file, editing only that value (restored on rollback)";
  }

  @Override
  public List<ArgSpec> arguments() {
    return ARGUMENTS;
  }

  @Override
  public Step.Builder create(String id, Map<String, Object> args) {
    Object file = DockerArgs.required(name(), id, args, "file");
    Object service = DockerArgs.required(name(), id, args, "service");
    NewImage image = NewImage.of(name(), id, args, "the image the file names");
    Edit edit = new Edit(file, service, image);
    Object shownFile = StepArgs.display(file);
    Step.Builder step =
        Step.builder(id, edit::apply)
            .type(name())
            .describe(
                "set the image of service "
                    + StepArgs.display(service)
                    + " in "
                    + shownFile
                    + " to "
                    + image.describe())
            .compensation(
                EditedFiles.undo(
                    shownFile,
                    done ->
                        "service "
                            + done.get("service")
                            + " names "
                            + done.get("previousImage")
                            + " again"))
            .probe(edit::probe)
            .idempotent(true)
            .argument("file", shownFile)
            .argument("service", StepArgs.display(service));
    return image.addTo(step);
  }

  /** The edit as the playbook gave it; resolved inside the action and the probe. */
  private record Edit(Object fileArg, Object serviceArg, NewImage newImage) {

    Map<String, Object> apply(StepContext ctx) throws IOException {
      Path file = StepArgs.path(ctx, fileArg);
      String service = ctx.resolveText(serviceArg);
      ImageEdit edit =
          ImageEdit.apply(
              ctx,
              ServiceImage.read(file, service),
              "service " + service,
              original -> ComposeFile.parse(file, original).image(service).image(),
              newImage);
      return outputs(edit, service);
    }

    Optional<Map<String, Object>> probe(StepContext ctx) throws IOException {
      Path file = StepArgs.path(ctx, fileArg);
      if (!Files.exists(EditedFiles.backup(ctx, file)) || !Files.exists(file)) {
        return Optional.empty(); // nothing was changed yet
      }
      String service = ctx.resolveText(serviceArg);
      return ImageEdit.probe(
              ctx,
              ServiceImage.read(file, service),
              original -> ComposeFile.parse(file, original).image(service).image(),
              newImage)
          .map(edit -> outputs(edit, service));
    }
  }

  /** A service's image line, as {@link ImageEdit} edits it. */
  private record ServiceImage(Path file, ComposeFile compose, ComposeFile.ImageEntry entry)
      implements ImageEdit.Entry {

    static ServiceImage read(Path file, String service) throws IOException {
      ComposeFile compose = ComposeFile.read(file);
      return new ServiceImage(file, compose, compose.image(service));
    }

    @Override
    public byte[] bytes() {
      return compose.bytes();
    }

    @Override
    public String image() {
      return entry.image();
    }

    @Override
    public int line() {
      return entry.line();
    }

    @Override
    public byte[] withImage(String image) {
      return compose.withImage(entry, image);
    }
  }

  private static Map<String, Object> outputs(ImageEdit edit, String service) {
    Map<String, Object> outputs = edit.outputs();
    outputs.put("service", service);
    return outputs;
  }
}
