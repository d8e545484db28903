package io.lockstep.docker;

import io.lockstep.engine.model.Compensation;
import io.lockstep.engine.model.Step;
import io.lockstep.engine.model.StepContext;
import io.lockstep.engine.spi.ArgSpec;
import io.lockstep.engine.spi.StepType;
import io.lockstep.steps.StepArgs;
import io.lockstep.steps.StepFailedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

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

  /** Registry host, path, tag and digest characters; nothing YAML would read differently. */
  private static final Pattern IMAGE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/:@+-]*");

  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");

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
    Object image = args.get("image");
    Object tag = args.get("tag");
    if ((image == null) == (tag == null)) {
      throw new IllegalArgumentException(
          name()
              + " '"
              + id
              + "': give exactly one of image (the whole reference, registry/name:tag) or tag"
              + " (only the tag of the image the file names)");
    }
    Edit edit = new Edit(file, service, image, tag);
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
                    + (image != null
                        ? StepArgs.display(image)
                        : "tag " + StepArgs.display(tag) + " of its image"))
            .compensation(
                Compensation.of(
                    "put " + shownFile + " back as it was (refused if it was edited since)",
                    ComposeSetImageStepType::restore))
            .probe(edit::probe)
            .idempotent(true)
            .argument("file", shownFile)
            .argument("service", StepArgs.display(service));
    return image != null
        ? step.argument("image", StepArgs.display(image))
        : step.argument("tag", StepArgs.display(tag));
  }

  /** The edit as the playbook gave it; resolved inside the action and the probe. */
  private record Edit(Object fileArg, Object serviceArg, Object imageArg, Object tagArg) {

    Map<String, Object> apply(StepContext ctx) throws IOException {
      Path file = StepArgs.path(ctx, fileArg);
      String service = ctx.resolveText(serviceArg);
      ComposeFile current = ComposeFile.read(file);
      ComposeFile.ImageEntry entry = current.image(service);
      Path backup = backupFile(ctx, file);
      byte[] original;
      if (Files.exists(backup)) {
        original = Files.readAllBytes(backup);
        ctx.log("continuing with the original of " + file + " saved earlier in " + backup);
      } else {
        original = current.bytes();
      }
      String previous = ComposeFile.parse(file, original).image(service).image();
      String image = target(ctx, previous);
      if (!Files.exists(backup)) {
        AtomicFiles.write(backup, original);
      }
      byte[] written;
      if (entry.image().equals(image)) {
        written = current.bytes();
        ctx.log("service " + service + " in " + file + " already names " + image);
      } else {
        written = current.withImage(entry, image);
        AtomicFiles.write(file, written);
        ctx.log(
            "set the image of service "
                + service
                + " in "
                + file
                + " (line "
                + entry.line()
                + "): "
                + entry.image()
                + " -> "
                + image
                + "; original saved in "
                + backup);
      }
      return outputs(file, service, image, previous, backup, original, written);
    }

    Optional<Map<String, Object>> probe(StepContext ctx) throws IOException {
      Path file = StepArgs.path(ctx, fileArg);
      Path backup = backupFile(ctx, file);
      if (!Files.exists(backup) || !Files.exists(file)) {
        return Optional.empty(); // nothing was changed yet
      }
      String service = ctx.resolveText(serviceArg);
      byte[] original = Files.readAllBytes(backup);
      String previous = ComposeFile.parse(file, original).image(service).image();
      String image = target(ctx, previous);
      ComposeFile current = ComposeFile.read(file);
      if (!current.image(service).image().equals(image)) {
        return Optional.empty();
      }
      return Optional.of(
          outputs(file, service, image, previous, backup, original, current.bytes()));
    }

    /** The image to set: the argument, or the previous image with the new tag. */
    private String target(StepContext ctx, String previous) {
      if (imageArg != null) {
        String image = ctx.resolveText(imageArg).strip();
        if (!IMAGE.matcher(image).matches()) {
          throw new StepFailedException(
              "image '" + image + "' is not an image reference (registry/name:tag)");
        }
        return image;
      }
      String tag = ctx.resolveText(tagArg).strip();
      if (!TAG.matcher(tag).matches()) {
        throw new StepFailedException(
            "tag '" + tag + "' is not an image tag (letters, digits, '_', '.', '-')");
      }
      return PullImageStepType.repositoryOf(previous) + ":" + tag;
    }
  }

  private static Map<String, Object> outputs(
      Path file,
      String service,
      String image,
      String previous,
      Path backup,
      byte[] original,
      byte[] written) {
    Map<String, Object> outputs = new LinkedHashMap<>();
    outputs.put("file", file.toString());
    outputs.put("service", service);
    outputs.put("image", image);
    outputs.put("previousImage", previous);
    outputs.put("changed", !previous.equals(image));
    outputs.put("backup", backup.toString());
    outputs.put("originalSha256", ComposeFile.sha256(original));
    outputs.put("sha256", ComposeFile.sha256(written));
    return outputs;
  }

  /**
   * Puts the saved original back, byte for byte, when the file is still what the step wrote. A file
   * changed since then holds someone's edit: the compensation fails and says where the original is,
   * rather than overwrite it.
   */
  private static Map<String, Object> restore(StepContext ctx) throws IOException {
    Map<String, Object> done = ctx.ownOutputs();
    Path file = Path.of(String.valueOf(done.get("file")));
    if (Boolean.FALSE.equals(done.get("changed"))) {
      ctx.log("nothing to undo: " + file + " already named " + done.get("image"));
      return Map.of();
    }
    Path backup = Path.of(String.valueOf(done.get("backup")));
    String originalSha256 = String.valueOf(done.get("originalSha256"));
    String writtenSha256 = String.valueOf(done.get("sha256"));
    Map<String, Object> outputs = new LinkedHashMap<>();
    outputs.put("file", file.toString());
    outputs.put("image", done.get("previousImage"));
    outputs.put("sha256", originalSha256);
    if (!Files.isRegularFile(file)) {
      throw new StepFailedException(
          "refusing to restore "
              + file
              + ": it is gone since step '"
              + ctx.stepId()
              + "' wrote it. Its original is saved in "
              + backup
              + ": copy it back if the file should return, then run the rollback again");
    }
    String now = ComposeFile.sha256(Files.readAllBytes(file));
    if (now.equals(originalSha256)) {
      ctx.log(file + " is already as it was before step '" + ctx.stepId() + "'");
      outputs.put("restored", false);
      return outputs;
    }
    if (!now.equals(writtenSha256)) {
      throw new StepFailedException(
          "refusing to restore "
              + file
              + ": it was changed after step '"
              + ctx.stepId()
              + "' wrote it (sha256 "
              + now
              + ", the step wrote "
              + writtenSha256
              + "), and restoring would discard that change. Its original is saved in "
              + backup
              + ": compare the two, copy the original back (or merge by hand), then run the"
              + " rollback again");
    }
    if (!Files.isRegularFile(backup)) {
      throw new StepFailedException(
          "cannot restore " + file + ": its saved original " + backup + " is missing");
    }
    byte[] original = Files.readAllBytes(backup);
    String saved = ComposeFile.sha256(original);
    if (!saved.equals(originalSha256)) {
      throw new StepFailedException(
          "refusing to restore "
              + file
              + ": its saved original "
              + backup
              + " does not match its recorded sha256 (expected "
              + originalSha256
              + ", found "
              + saved
              + "); "
              + file
              + " was left unchanged");
    }
    AtomicFiles.write(file, original);
    ctx.log(
        "restored "
            + file
            + " from "
            + backup
            + " (sha256 "
            + originalSha256
            + " verified): service "
            + done.get("service")
            + " names "
            + done.get("previousImage")
            + " again");
    outputs.put("restored", true);
    return outputs;
  }

  private static Path backupFile(StepContext ctx, Path file) {
    return ctx.artifactsDir()
        .resolve(StepArgs.fileName(ctx.stepId()))
        .resolve(file.getFileName() + ".orig");
  }
}
