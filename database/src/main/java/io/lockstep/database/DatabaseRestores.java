package io.lockstep.database;

import io.lockstep.engine.model.StepContext;
import io.lockstep.steps.StepFailedException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Restores a dump made by {@code backupDatabase}. Before anything touches the database, it checks
 * that the dump is the one the backup recorded (SHA-256 and size, against the journal's outputs and
 * the manifest) and that it belongs to the target (same engine; same database name unless allowed
 * otherwise). Then the engine's prelude and the dump stream into the client's stdin.
 */
final class DatabaseRestores {

  private static final List<String> RECORDED =
      List.of("artifact", "sha256", "sizeBytes", "engine", "database");

  private DatabaseRestores() {}

  /**
   * @param from the id of the backup step, for messages
   * @param backup that step's outputs
   * @param target where to restore, defaults already taken from {@code backup}
   */
  static Map<String, Object> restore(
      StepContext ctx,
      String from,
      Map<String, Object> backup,
      DatabaseArgs target,
      boolean allowOtherDatabase)
      throws IOException, InterruptedException {
    for (String key : RECORDED) {
      if (backup.get(key) == null) {
        throw new StepFailedException(
            "step '"
                + from
                + "' is not a backupDatabase step: its outputs have no "
                + String.join(", ", RECORDED));
      }
    }
    String database = String.valueOf(backup.get("database"));
    Path artifact = ctx.artifactsDir().resolve(String.valueOf(backup.get("artifact"))).normalize();
    FileDigest digest = verify(from, database, artifact, backup);

    Connection c = target.resolve(ctx);
    DatabaseEngine engine = c.engine();
    if (!engine.name().equals(backup.get("engine"))) {
      throw new StepFailedException(
          "refusing to restore: the dump of step '"
              + from
              + "' is a "
              + backup.get("engine")
              + " dump of database '"
              + database
              + "', and the target is "
              + c.describe()
              + "; the database was not changed");
    }
    if (!c.database().equals(database) && !allowOtherDatabase) {
      throw new StepFailedException(
          "refusing to restore the dump of database '"
              + database
              + "' (step '"
              + from
              + "') into database '"
              + c.database()
              + "' on "
              + c.describe()
              + ": it belongs to another database; give allowOtherDatabase: true to restore it"
              + " there anyway. The database was not changed");
    }

    try (Transport transport = target.transport(ctx);
        DatabaseSession session =
            DatabaseSession.open(ctx, c, transport, target.tools(ctx, engine))) {
      session.toolVersion(engine.clientTool());
      ServerInfo server = session.serverInfo();
      String prelude = engine.restorePrelude(c, session::query);
      ctx.log(
          "restoring database '"
              + c.database()
              + "' on "
              + c.describe()
              + " running "
              + server.version()
              + " from "
              + artifact
              + " ("
              + DiskSpace.human(digest.size())
              + ", sha256 "
              + digest.sha256()
              + " verified): "
              + session.display(engine.clientTool(), engine.restoreArgs(c))
              + (transport instanceof LocalTransport ? "" : " " + transport.where()));
      Instant started = Instant.now();
      ToolResult result;
      try (InputStream in =
          new SequenceInputStream(
              new ByteArrayInputStream(prelude.getBytes(StandardCharsets.UTF_8)),
              Files.newInputStream(artifact))) {
        result = session.run(engine.clientTool(), engine.restoreArgs(c), in, null, true);
      }
      if (result.exitCode() != 0) {
        throw new StepFailedException(
            "restoring database '"
                + c.database()
                + "' on "
                + c.describe()
                + " failed: "
                + engine.clientTool()
                + " "
                + result.exitedWith(engine.explain(c, result.stderr()))
                + (engine.restoreIsTransactional()
                    ? "; the restore ran in one transaction, so the database was left as it was"
                    : "; "
                        + c.engine().label()
                        + " cannot restore in one transaction, so the"
                        + " database may be partly restored: fix the cause and restore again"));
      }
      result.stderr().lines().filter(line -> !line.isBlank()).forEach(ctx::log);
      Duration took = Duration.between(started, Instant.now());
      ctx.log(
          "restored database '"
              + c.database()
              + "' on "
              + c.describe()
              + " in "
              + took.toMillis()
              + " ms: it is as it was when step '"
              + from
              + "' dumped it");

      Map<String, Object> outputs = new LinkedHashMap<>();
      outputs.put("from", from);
      outputs.put("engine", engine.name());
      outputs.put("database", c.database());
      outputs.put("host", c.host());
      outputs.put("port", c.port());
      outputs.put("artifact", String.valueOf(backup.get("artifact")));
      outputs.put("sha256", digest.sha256());
      outputs.put("sizeBytes", digest.size());
      outputs.put("durationMillis", took.toMillis());
      return outputs;
    }
  }

  /**
   * The dump's digest, after checking it against the backup's outputs and its manifest.
   *
   * @throws StepFailedException when the dump is missing or is not the one recorded
   */
  private static FileDigest verify(
      String from, String database, Path artifact, Map<String, Object> backup) throws IOException {
    String unchanged = "; the database was not changed";
    if (!Files.isRegularFile(artifact)) {
      throw new StepFailedException(
          "cannot restore database '"
              + database
              + "': the dump "
              + artifact
              + " made by step '"
              + from
              + "' is missing"
              + unchanged);
    }
    Map<String, Object> manifest =
        BackupManifest.read(artifact.resolveSibling(BackupManifest.FILE_NAME));
    if (manifest != null) {
      for (String key : List.of("sha256", "sizeBytes", "engine", "database")) {
        if (!same(manifest.get(key), backup.get(key))) {
          throw new StepFailedException(
              "refusing to restore database '"
                  + database
                  + "': the manifest next to "
                  + artifact
                  + " says "
                  + key
                  + " "
                  + manifest.get(key)
                  + ", step '"
                  + from
                  + "' recorded "
                  + backup.get(key)
                  + "; the file is not the dump that step made"
                  + unchanged);
        }
      }
    }
    FileDigest actual = FileDigest.of(artifact);
    Object sha256 = backup.get("sha256");
    Object size = backup.get("sizeBytes");
    if (!actual.sha256().equals(sha256) || !same(actual.size(), size)) {
      throw new StepFailedException(
          "refusing to restore database '"
              + database
              + "': the dump "
              + artifact
              + " does not match what step '"
              + from
              + "' recorded (expected sha256 "
              + sha256
              + " and "
              + size
              + " bytes, found sha256 "
              + actual.sha256()
              + " and "
              + actual.size()
              + " bytes)"
              + unchanged);
    }
    return actual;
  }

  /** Equal as JSON values: a number read back from the journal may be an Integer or a Long. */
  private static boolean same(Object a, Object b) {
    if (a instanceof Number x && b instanceof Number y) {
      return x.longValue() == y.longValue();
    }
    return Objects.equals(a == null ? null : a.toString(), b == null ? null : b.toString());
  }
}
