package io.lockstep.database;

import io.lockstep.engine.model.Compensation;
import io.lockstep.engine.model.Step;
import io.lockstep.engine.spi.ArgSpec;
import io.lockstep.engine.spi.StepType;
import io.lockstep.steps.StepArgs;
import java.util.List;
import java.util.Map;

/**
 * {@code backupDatabase}: dumps a PostgreSQL, MySQL or MariaDB database with its native tool into
 * the run's artifacts, with its SHA-256; its default compensation restores the dump.
 *
 * <pre>{@code
 * backupDatabase 'portal-db', engine: 'postgres', host: '127.0.0.1', port: 5432,
 *     database: 'portal', user: 'portal', password: secret('dbPassword')
 * }</pre>
 *
 * Outputs {@code artifact} (relative to the run's artifacts directory), {@code sha256}, {@code
 * sizeBytes}, {@code engine}, {@code database}, {@code host}, {@code port}, {@code user}, {@code
 * via}, {@code toolVersion}, {@code serverVersion} and {@code createdAt}; never a password.
 * Idempotent: a second attempt dumps again.
 *
 * <p>A database migrated forward cannot be migrated back, so rolling back means restoring this
 * dump. The plan warns that the restore discards every write made after the backup. Compensations
 * run last step first: with the backup after the step that stops the application and before the
 * steps that replace it, the restore runs after the new release is stopped and before the previous
 * one starts again, the order of the Tyk portal's rollback guide.
 */
public final class BackupDatabaseStepType implements StepType {

  private static final List<ArgSpec> ARGUMENTS = DatabaseArgs.connectionSpecs(true);

  @Override
  public String name() {
    return "backupDatabase";
  }

  @Override
  public String summary() {
    return "dump a PostgreSQL or MySQL/MariaDB database into the run's artifacts; rollback restores"
        + " it";
  }

  @Override
  public List<ArgSpec> arguments() {
    return ARGUMENTS;
  }

  @Override
  public Step.Builder create(String id, Map<String, Object> args) {
    DatabaseArgs db = DatabaseArgs.of(args);
    if (db.database() == null || db.database().toString().isBlank()) {
      throw new IllegalArgumentException("backupDatabase '" + id + "': database must not be empty");
    }
    db.check("backupDatabase '" + id + "'");
    Object database = StepArgs.display(db.database());
    Compensation restore =
        Compensation.of(
                "restore " + database + " from backup " + id + " (sha256 verified)",
                ctx -> DatabaseRestores.restore(ctx, ctx.stepId(), ctx.ownOutputs(), db, false))
            .withDataLossWarning(
                "restoring " + database + " discards every write made after the backup");
    Step.Builder step =
        Step.builder(id, ctx -> DatabaseBackups.backup(ctx, db))
            .type(name())
            .describe(
                "dump "
                    + database
                    + " from "
                    + db.shownServer()
                    + " as "
                    + StepArgs.display(db.user())
                    + db.shownWhere()
                    + " into the run's artifacts")
            .idempotent(true)
            .compensation(restore);
    db.addTo(step);
    return step;
  }
}
