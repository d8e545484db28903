package io.lockstep.database;

import io.lockstep.engine.model.Compensation;
import io.lockstep.engine.model.Step;
import io.lockstep.engine.spi.ArgSpec;
import io.lockstep.engine.spi.StepType;
import io.lockstep.steps.StepArgs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code restoreDatabase}: restores the dump an earlier {@code backupDatabase} step of this run
 * made, after verifying its SHA-256 and that it belongs to the target database.
 *
 * <pre>{@code
 * restoreDatabase 'put-back', from: 'backup/portal-db'
 * restoreDatabase 'to-staging', from: 'backup/portal-db', host: 'staging-db', database: 'portal_copy',
 *     allowOtherDatabase: true
 * }</pre>
 *
 * The connection defaults to the one the backup recorded, including the secret its password came
 * from; any argument given replaces the recorded one. Outputs {@code from}, {@code engine}, {@code
 * database}, {@code host}, {@code port}, {@code artifact}, {@code sha256}, {@code sizeBytes} and
 * {@code durationMillis}. Idempotent. It declares no undo: what it overwrote is gone unless an
 * earlier step backed it up, so plans list it under the steps without an undo.
 */
public final class RestoreDatabaseStepType implements StepType {

  private static final List<ArgSpec> ARGUMENTS = arguments(DatabaseArgs.connectionSpecs(false));

  private static List<ArgSpec> arguments(List<ArgSpec> connection) {
    List<ArgSpec> all = new ArrayList<>();
    all.add(ArgSpec.required("from", String.class, "id of the backupDatabase step to restore"));
    all.addAll(connection);
    all.add(
        ArgSpec.optional(
            "allowOtherDatabase",
            Boolean.class,
            false,
            "restore into a database with another name than the one dumped"));
    return List.copyOf(all);
  }

  @Override
  public String name() {
    return "restoreDatabase";
  }

  @Override
  public String summary() {
    return "restore the dump a backupDatabase step made, after verifying its sha256";
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
          "restoreDatabase '" + id + "': from must name a backupDatabase step");
    }
    DatabaseArgs db = DatabaseArgs.of(args);
    db.check("restoreDatabase '" + id + "'");
    boolean allowOther = Boolean.TRUE.equals(args.get("allowOtherDatabase"));
    Step.Builder step =
        Step.builder(
                id,
                ctx -> {
                  String backupStep = ctx.resolveText(from);
                  Map<String, Object> backup = ctx.outputs(backupStep);
                  return DatabaseRestores.restore(
                      ctx, backupStep, backup, db.orRecorded(backup), allowOther);
                })
            .type(name())
            .describe(
                "restore the database dumped by step '"
                    + StepArgs.display(from)
                    + "'"
                    + (db.database() == null ? "" : " into " + StepArgs.display(db.database()))
                    + (db.host() == null && db.port() == null ? "" : " on " + db.shownTarget())
                    + db.shownWhere()
                    + " (sha256 verified)")
            .idempotent(true)
            .compensation(Compensation.undeclared())
            .argument("from", StepArgs.display(from));
    db.addTo(step);
    if (allowOther) {
      step.argument("allowOtherDatabase", true);
    }
    return step;
  }
}
