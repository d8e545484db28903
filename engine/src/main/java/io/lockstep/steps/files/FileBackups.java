package io.lockstep.steps.files;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lockstep.engine.model.StepContext;
import io.lockstep.steps.StepArgs;
import io.lockstep.steps.StepFailedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Backups of files and directory trees in a run's artifacts, and their verified restore.
 *
 * <p>A backup of step {@code upgrade/data} lives in {@code <artifacts>/upgrade_data-<hash>/}: the
 * copy under the original's name and {@code .manifest.json} holding the step's outputs. The
 * directory is built under a {@code .partial} name and renamed when complete, so a backup that
 * exists is a whole one.
 */
final class FileBackups {

  static final String MANIFEST = ".manifest.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private FileBackups() {}

  static Map<String, Object> backup(StepContext ctx, Path path) throws IOException {
    Path home = home(ctx);
    Path partial = home.resolveSibling(home.getFileName() + ".partial");
    FileTrees.delete(partial);
    Files.createDirectories(partial);
    String name = artifactName(path);

    Map<String, Object> outputs = new LinkedHashMap<>();
    outputs.put("path", path.toString());
    outputs.put("artifact", home.resolve(name).toString());
    if (TreeDigest.exists(path)) {
      FileTrees.copy(path, partial.resolve(name));
      TreeDigest digest = TreeDigest.of(partial.resolve(name));
      outputs.put("sha256", digest.sha256());
      outputs.put("bytes", digest.bytes());
      outputs.put("files", digest.files());
      outputs.put("existed", true);
    } else {
      outputs.put("sha256", "");
      outputs.put("bytes", 0L);
      outputs.put("files", 0L);
      outputs.put("existed", false);
    }
    Path manifest = partial.resolve(MANIFEST);
    JSON.writerWithDefaultPrettyPrinter().writeValue(manifest.toFile(), outputs);
    FileTrees.delete(home);
    Files.move(partial, home, StandardCopyOption.ATOMIC_MOVE);

    if (Boolean.TRUE.equals(outputs.get("existed"))) {
      ctx.log(
          "backed up "
              + path
              + " ("
              + outputs.get("files")
              + " files, "
              + outputs.get("bytes")
              + " bytes) to "
              + outputs.get("artifact")
              + ", sha256 "
              + outputs.get("sha256"));
    } else {
      ctx.log(path + " does not exist: its restore will delete whatever is there");
    }
    return outputs;
  }

  /** The outputs of a complete backup made by this step whose artifact is intact, if any. */
  @SuppressWarnings("unchecked")
  static Optional<Map<String, Object>> probe(StepContext ctx) throws IOException {
    Path manifest = home(ctx).resolve(MANIFEST);
    if (!Files.isRegularFile(manifest)) {
      return Optional.empty();
    }
    Map<String, Object> outputs = JSON.readValue(manifest.toFile(), LinkedHashMap.class);
    if (!Boolean.TRUE.equals(outputs.get("existed"))) {
      return Optional.of(outputs);
    }
    Path artifact = Path.of(String.valueOf(outputs.get("artifact")));
    if (!TreeDigest.exists(artifact)
        || !TreeDigest.of(artifact).sha256().equals(outputs.get("sha256"))) {
      return Optional.empty();
    }
    return Optional.of(outputs);
  }

  /**
   * Puts the backed-up content back at its path, exactly: entries added since are removed. The
   * artifact's digest is checked first; on a mismatch nothing is changed.
   */
  static Map<String, Object> restore(StepContext ctx, Map<String, Object> backup)
      throws IOException {
    Path path = Path.of(String.valueOf(backup.get("path")));
    Path artifact = Path.of(String.valueOf(backup.get("artifact")));
    Object expected = backup.get("sha256");
    Map<String, Object> outputs = new LinkedHashMap<>();
    outputs.put("path", path.toString());
    outputs.put("artifact", artifact.toString());
    outputs.put("sha256", expected);

    if (!Boolean.TRUE.equals(backup.get("existed"))) {
      boolean present = TreeDigest.exists(path);
      FileTrees.delete(path);
      ctx.log(
          present
              ? "deleted " + path + ": it did not exist when the backup was taken"
              : path + " still does not exist: nothing to restore");
      outputs.put("restored", present);
      return outputs;
    }
    if (!TreeDigest.exists(artifact)) {
      throw new StepFailedException(
          "cannot restore " + path + ": the backup artifact " + artifact + " is missing");
    }
    String actual = TreeDigest.of(artifact).sha256();
    if (!actual.equals(expected)) {
      throw new StepFailedException(
          "refusing to restore "
              + path
              + ": the backup artifact "
              + artifact
              + " does not match its recorded sha256 (expected "
              + expected
              + ", found "
              + actual
              + "); "
              + path
              + " was left unchanged");
    }
    Path target = Files.isSymbolicLink(path) && Files.exists(path) ? path.toRealPath() : path;
    Files.createDirectories(target.getParent());
    Path staging = FileTrees.sibling(target, "restore");
    try {
      FileTrees.copy(artifact, staging);
      FileTrees.replace(staging, target);
    } finally {
      FileTrees.delete(staging);
    }
    ctx.log("restored " + path + " from " + artifact + " (sha256 " + actual + " verified)");
    outputs.put("restored", true);
    return outputs;
  }

  /** The backup's outputs when its path already holds exactly the backed-up content. */
  static Optional<Map<String, Object>> probeRestored(Map<String, Object> backup)
      throws IOException {
    Path path = Path.of(String.valueOf(backup.get("path")));
    boolean existed = Boolean.TRUE.equals(backup.get("existed"));
    boolean same =
        existed
            ? TreeDigest.exists(path) && TreeDigest.of(path).sha256().equals(backup.get("sha256"))
            : !TreeDigest.exists(path);
    if (!same) {
      return Optional.empty();
    }
    Map<String, Object> outputs = new LinkedHashMap<>();
    outputs.put("path", path.toString());
    outputs.put("artifact", String.valueOf(backup.get("artifact")));
    outputs.put("sha256", backup.get("sha256"));
    outputs.put("restored", true);
    return Optional.of(outputs);
  }

  private static Path home(StepContext ctx) {
    return ctx.artifactsDir().resolve(StepArgs.fileName(ctx.stepId()));
  }

  private static String artifactName(Path path) {
    String name = path.getFileName() == null ? "root" : path.getFileName().toString();
    return name.equals(MANIFEST) ? "content" : name;
  }
}
