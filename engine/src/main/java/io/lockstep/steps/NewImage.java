package io.lockstep.steps;

import io.lockstep.engine.model.Step;
import io.lockstep.engine.model.StepContext;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The new image a step that sets one is given: exactly one of {@code image} (the whole reference)
 * or {@code tag} (a new tag for the image there now), as the playbook wrote it. Shared by the steps
 * that set an image in a compose file, a manifest or a workload, so they take, show and check it
 * the same way.
 *
 * @param image the {@code image} argument, unresolved, or {@code null}
 * @param tag the {@code tag} argument, unresolved, or {@code null}
 */
public record NewImage(Object image, Object tag) {

  /** Registry host, path, tag and digest characters; nothing YAML would read differently. */
  private static final Pattern IMAGE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/:@+-]*");

  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");

  /**
   * The {@code image} or {@code tag} of a step's arguments.
   *
   * @param current what the tag applies to, for the message: {@code the image the file names}
   * @throws IllegalArgumentException when both or neither are given
   */
  public static NewImage of(String type, String id, Map<String, Object> args, String current) {
    Object image = StepArgs.text(args, "image");
    Object tag = StepArgs.text(args, "tag");
    if ((image == null) == (tag == null)) {
      throw new IllegalArgumentException(
          type
              + " '"
              + id
              + "': give exactly one of image (the whole reference, registry/name:tag) or tag"
              + " (only the tag of "
              + current
              + ")");
    }
    return new NewImage(image, tag);
  }

  /** For plans: {@code tykio/tyk-gateway:v5.3.0}, or {@code tag v5.3.0 of its image}. */
  public String describe() {
    return image != null
        ? String.valueOf(StepArgs.display(image))
        : "tag " + StepArgs.display(tag) + " of its image";
  }

  /** Adds the {@code image} or {@code tag} argument to the step's plan. */
  public Step.Builder addTo(Step.Builder step) {
    return image != null
        ? step.argument("image", StepArgs.display(image))
        : step.argument("tag", StepArgs.display(tag));
  }

  /**
   * The image to set: the {@code image} argument checked, or {@code previous} with the new tag.
   *
   * @throws StepFailedException when the image or tag is not one
   */
  public String resolve(StepContext ctx, String previous) {
    if (image != null) {
      String text = ctx.resolveText(image).strip();
      if (!IMAGE.matcher(text).matches()) {
        throw new StepFailedException(
            "image '" + text + "' is not an image reference (registry/name:tag)");
      }
      return text;
    }
    String text = ctx.resolveText(tag).strip();
    if (!TAG.matcher(text).matches()) {
      throw new StepFailedException(
          "tag '" + text + "' is not an image tag (letters, digits, '_', '.', '-')");
    }
    return repository(previous) + ":" + text;
  }

  /** The reference without tag or digest; a registry's port is not a tag. */
  public static String repository(String image) {
    String name = image;
    int at = name.indexOf('@');
    if (at >= 0) {
      name = name.substring(0, at);
    }
    int colon = name.lastIndexOf(':');
    return colon > name.lastIndexOf('/') ? name.substring(0, colon) : name;
  }
}
