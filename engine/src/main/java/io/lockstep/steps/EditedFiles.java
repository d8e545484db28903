package io.lockstep.steps;

import io.lockstep.engine.model.Compensation;
import io.lockstep.engine.model.StepContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The saved original of a file an image-setting step edits in place (a compose file, a manifest),
 * the outputs such a step records, and its undo: the original bytes go back only while the file is
 * still what the step wrote, so an operator's later edit is never thrown away.
 */
public final class EditedFiles {

  private EditedFiles() {}

  /** {@code <artifacts>/<step id>/<file name>.orig}: where the step keeps the file's original. */
  public static Path backup(StepContext ctx, Path file) {
    return ctx.artifactsDir()
        .resolve(StepArgs.fileName(ctx.stepId()))
        .resolve(file.getFileName() + ".orig");
  }

  public static String sha256(byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  /**
   * {@code file}, {@code image}, {@code previousImage}, {@code changed}, {@code backup}, {@code
   * originalSha256} and {@code sha256}: what {@link #restore} reads back.
   */
  public static Map<String, Object> outputs(
      Path file, String image, String previous, Path backup, byte[] original, byte[] written) {
    Map<String, Object> outputs = new LinkedHashMap<>();
    outputs.put("file", file.toString());
    outputs.put("image", image);
    outputs.put("previousImage", previous);
    outputs.put("changed", !previous.equals(image));
    outputs.put("backup", backup.toString());
    outputs.put("originalSha256", sha256(original));
    outputs.put("sha256", sha256(written));
    return outputs;
  }

  /**
   * The undo of a step that edited {@code shownFile}: {@link #restore}.
   *
   * @param restoredWhat from the step's outputs, the end of the log line once restored
   */
  public static Compensation undo(
      Object shownFile, Function<Map<String, Object>, String> restoredWhat) {
    return Compensation.of(
        "put " + shownFile + " back as it was (refused if it was edited since)",
        ctx -> restore(ctx, restoredWhat.apply(ctx.ownOutputs())));
  }

  /**
   * Puts the saved original back, byte for byte, when the file is still what the step wrote (its
   * {@link #outputs}). A file changed since then holds someone's edit: the undo fails and says
   * where the original is, rather than overwrite it.
   *
   * @param restoredWhat ends the log line once restored: {@code service x names y again}
   */
  public static Map<String, Object> restore(StepContext ctx, String restoredWhat)
      throws IOException {
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
    String now = sha256(Files.readAllBytes(file));
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
    AtomicFiles.write(file, verifiedOriginal(file, backup, originalSha256));
    ctx.log(
        "restored "
            + file
            + " from "
            + backup
            + " (sha256 "
            + originalSha256
            + " verified): "
            + restoredWhat);
    outputs.put("restored", true);
    return outputs;
  }

  /** The saved original, refused when it is missing or is not what the step saved. */
  private static byte[] verifiedOriginal(Path file, Path backup, String originalSha256)
      throws IOException {
    if (!Files.isRegularFile(backup)) {
      throw new StepFailedException(
          "cannot restore " + file + ": its saved original " + backup + " is missing");
    }
    byte[] original = Files.readAllBytes(backup);
    String saved = sha256(original);
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
    return original;
  }
}
