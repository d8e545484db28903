package io.lockstep.kubernetes;

import io.lockstep.steps.StepFailedException;
import java.util.regex.Pattern;

/** Image references as a step takes them: checked, and with a new tag. */
final class ImageReference {

  /** Registry host, path, tag and digest characters. */
  private static final Pattern IMAGE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/:@+-]*");

  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");

  private ImageReference() {}

  /** {@code image}, checked. */
  static String checked(String image) {
    String text = image.strip();
    if (!IMAGE.matcher(text).matches()) {
      throw new StepFailedException(
          "image '" + image + "' is not an image reference (registry/name:tag)");
    }
    return text;
  }

  /** {@code current} with its tag (and any digest) replaced by {@code tag}. */
  static String withTag(String current, String tag) {
    String text = tag.strip();
    if (!TAG.matcher(text).matches()) {
      throw new StepFailedException(
          "tag '" + tag + "' is not an image tag (letters, digits, '_', '.', '-')");
    }
    return repository(current) + ":" + text;
  }

  /** The reference without tag or digest; a registry's port is not a tag. */
  static String repository(String image) {
    String name = image;
    int at = name.indexOf('@');
    if (at >= 0) {
      name = name.substring(0, at);
    }
    int colon = name.lastIndexOf(':');
    return colon > name.lastIndexOf('/') ? name.substring(0, colon) : name;
  }
}
