package io.lockstep.steps;

import io.lockstep.engine.model.StepContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * A step's edit of one image value in a file it changes in place (a compose file, a manifest): the
 * original is saved before the first write, and a run again in the same run keeps it, so the
 * outputs and the undo ({@link EditedFiles#restore}) still go back to what the file was before the
 * run touched it.
 *
 * @param file the file edited
 * @param previous the image the original names
 * @param image the image the file names now
 * @param backup the saved original
 * @param original the original bytes
 * @param written the bytes the file has now
 */
public record ImageEdit(
    Path file, String previous, String image, Path backup, byte[] original, byte[] written) {

  /** Where a file names the image, as a connector reads it. */
  public interface Entry {
    Path file();

    /** The file's bytes as read. */
    byte[] bytes();

    String image();

    /** The line of the value, from 1, for the log. */
    int line();

    /** The file's bytes with only the value changed. */
    byte[] withImage(String image);
  }

  /** Reads the image the same entry names in other bytes of the file (its saved original). */
  @FunctionalInterface
  public interface Previous {
    String in(byte[] original);
  }

  /**
   * Saves the original unless saved earlier in the run, then writes the new image unless the file
   * names it already.
   *
   * @param what for the log: {@code service tyk-portal}, {@code container x of deployment y}
   */
  public static ImageEdit apply(
      StepContext ctx, Entry current, String what, Previous previousIn, NewImage newImage)
      throws IOException {
    Path file = current.file();
    Path backup = EditedFiles.backup(ctx, file);
    byte[] original;
    if (Files.exists(backup)) {
      original = Files.readAllBytes(backup);
      ctx.log("continuing with the original of " + file + " saved earlier in " + backup);
    } else {
      original = current.bytes();
    }
    String previous = previousIn.in(original);
    String image = newImage.resolve(ctx, previous);
    if (!Files.exists(backup)) {
      AtomicFiles.write(backup, original);
    }
    byte[] written;
    if (current.image().equals(image)) {
      written = current.bytes();
      ctx.log(what + " in " + file + " already names " + image);
    } else {
      written = current.withImage(image);
      AtomicFiles.write(file, written);
      ctx.log(
          "set the image of "
              + what
              + " in "
              + file
              + " (line "
              + current.line()
              + "): "
              + current.image()
              + " -> "
              + image
              + "; original saved in "
              + backup);
    }
    return new ImageEdit(file, previous, image, backup, original, written);
  }

  /** The edit, when the original is saved and the file names the new image: the step is done. */
  public static Optional<ImageEdit> probe(
      StepContext ctx, Entry current, Previous previousIn, NewImage newImage) throws IOException {
    Path backup = EditedFiles.backup(ctx, current.file());
    if (!Files.exists(backup)) {
      return Optional.empty(); // nothing was changed yet
    }
    byte[] original = Files.readAllBytes(backup);
    String previous = previousIn.in(original);
    String image = newImage.resolve(ctx, previous);
    if (!current.image().equals(image)) {
      return Optional.empty();
    }
    return Optional.of(
        new ImageEdit(current.file(), previous, image, backup, original, current.bytes()));
  }

  /** {@link EditedFiles#outputs}: what the undo reads back. */
  public Map<String, Object> outputs() {
    return EditedFiles.outputs(file, image, previous, backup, original, written);
  }
}
