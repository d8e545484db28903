package io.lockstep.steps.files;

import io.lockstep.engine.model.Step;
import io.lockstep.engine.model.StepContext;
import io.lockstep.engine.spi.ArgSpec;
import io.lockstep.engine.spi.StepType;
import io.lockstep.steps.StepFailedException;
import java.util.List;
import java.util.Map;

/**
 * {@code restoreFiles}: puts back what a {@code backupFiles} step of this run copied, after
 * checking the artifact's SHA-256.
 *
 * <pre>{@code
 * restoreFiles 'put-data-back', from: 'data'
 * }</pre>
 *
 * Outputs {@code path}, {@code artifact}, {@code sha256} and {@code restored}. Idempotent; the
 * probe accepts a path that already holds the backed-up content. No compensation.
 */
public final class RestoreFilesStepType implements StepType {

  private static final List<ArgSpec> ARGUMENTS =
      List.of(ArgSpec.required("from", String.class, "id of the backupFiles step to restore"));

  @Override
  public String name() {
    return "restoreFiles";
  }

  @Override
  public String summary() {
    return "restore the files a backupFiles step copied, after verifying their sha256";
  }

  @Override
  public List<ArgSpec> arguments() {
    return ARGUMENTS;
  }

  @Override
  public Step.Builder create(String id, Map<String, Object> args) {
    Object from = args.get("from");
    if (from == null || from.toString().isBlank()) {
      throw new IllegalArgumentException(
          "restoreFiles '" + id + "': from must name a backupFiles step");
    }
    return Step.builder(id, ctx -> FileBackups.restore(ctx, backup(ctx, from)))
        .type(name())
        .describe("restore the files backed up by step '" + from + "'")
        .argument("from", from.toString())
        .idempotent(true)
        .probe(ctx -> FileBackups.probeRestored(backup(ctx, from)));
  }

  private static Map<String, Object> backup(StepContext ctx, Object from) {
    String stepId = ctx.resolveText(from);
    Map<String, Object> outputs = ctx.outputs(stepId);
    if (!outputs.containsKey("artifact")
        || !outputs.containsKey("sha256")
        || !outputs.containsKey("path")) {
      throw new StepFailedException(
          "step '"
              + stepId
              + "' is not a backupFiles step: its outputs have no path/artifact/sha256");
    }
    return outputs;
  }
}
