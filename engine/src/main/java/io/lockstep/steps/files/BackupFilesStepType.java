package io.lockstep.steps.files;

import io.lockstep.engine.model.Compensation;
import io.lockstep.engine.model.Step;
import io.lockstep.engine.spi.ArgSpec;
import io.lockstep.engine.spi.StepType;
import io.lockstep.steps.StepArgs;
import java.util.List;
import java.util.Map;

/**
 * {@code backupFiles}: copies a file or a directory tree into the run's artifacts and records its
 * SHA-256; its default compensation restores it exactly.
 *
 * <pre>{@code
 * backupFiles 'data', path: 'data'
 * }</pre>
 *
 * Outputs {@code path}, {@code artifact}, {@code sha256}, {@code bytes}, {@code files} and {@code
 * existed}. Idempotent; the probe accepts a complete backup whose digest still matches.
 */
public final class BackupFilesStepType implements StepType {

  private static final List<ArgSpec> ARGUMENTS =
      List.of(ArgSpec.required("path", String.class, "file or directory to back up"));

  @Override
  public String name() {
    return "backupFiles";
  }

  @Override
  public String summary() {
    return "copy a file or directory into the run's artifacts; rollback restores it exactly";
  }

  @Override
  public List<ArgSpec> arguments() {
    return ARGUMENTS;
  }

  @Override
  public Step.Builder create(String id, Map<String, Object> args) {
    Object path = args.get("path");
    if (path == null || path.toString().isBlank()) {
      throw new IllegalArgumentException("backupFiles '" + id + "': path must not be empty");
    }
    Object shown = StepArgs.display(path);
    Compensation restore =
        Compensation.of(
                "restore " + shown + " from the backup (sha256 verified)",
                ctx -> FileBackups.restore(ctx, ctx.ownOutputs()))
            .withDataLossWarning(
                "restoring " + shown + " discards changes made to it after the backup");
    return Step.builder(id, ctx -> FileBackups.backup(ctx, StepArgs.path(ctx, path)))
        .type(name())
        .describe("copy " + shown + " to the run's artifacts")
        .argument("path", shown)
        .idempotent(true)
        .probe(FileBackups::probe)
        .compensation(restore);
  }
}
