package io.lockstep.kubernetes;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.lockstep.engine.model.StepContext;
import io.lockstep.steps.StepArgs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/**
 * What a step saw before it changed an object, kept in the step's artifacts directory. A step run
 * again in the same run (a retry, a resumed run) finds the first state there, so its outputs and
 * its undo still go back to what the cluster had before the run touched it.
 */
final class SavedState {

  private SavedState() {}

  /** {@code <artifacts>/<step id>/<name>}. */
  static Path file(StepContext ctx, String name) {
    return ctx.artifactsDir().resolve(StepArgs.fileName(ctx.stepId())).resolve(name);
  }

  /** The saved state, or {@code null} when the step saved none yet. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      return null;
    }
    return Serialization.unmarshal(Files.readString(file), Map.class);
  }

  /** Saves {@code state} whole or not at all: written beside the file, then renamed over it. */
  static void write(Path file, Map<String, Object> state) throws IOException {
    Files.createDirectories(file.getParent());
    Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(temporary, Serialization.asJson(state));
    Files.move(
        temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
