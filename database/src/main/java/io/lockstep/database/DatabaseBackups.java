package io.lockstep.database;

import io.lockstep.engine.model.StepContext;
import io.lockstep.steps.StepArgs;
import io.lockstep.steps.StepFailedException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Dumps a database into the run's artifacts: {@code <artifacts>/<step>/<database>.sql} and {@code
 * backup.json}. The dump streams into {@code <database>.sql.partial} and is renamed only after the
 * tool exited 0 and the file is on disk, so a dump that was cut short (the tool failed, the step
 * was cancelled, the machine died) never leaves a file that looks complete. Each attempt starts by
 * deleting the previous attempt's files.
 */
final class DatabaseBackups {

  private DatabaseBackups() {}

  static Map<String, Object> backup(StepContext ctx, DatabaseArgs args)
      throws IOException, InterruptedException {
    Connection c = args.resolve(ctx);
    DatabaseEngine engine = c.engine();
    Map<String, String> tools = args.tools(ctx, engine);

    String dir = StepArgs.fileName(ctx.stepId());
    String fileName = StepArgs.fileName(c.database()) + ".sql";
    Path home = Files.createDirectories(ctx.artifactsDir().resolve(dir));
    Path dump = home.resolve(fileName);
    Path partial = home.resolve(fileName + ".partial");
    Path manifest = home.resolve(BackupManifest.FILE_NAME);
    Files.deleteIfExists(manifest);
    Files.deleteIfExists(dump);
    Files.deleteIfExists(partial);

    try (Transport transport = args.transport(ctx);
        DatabaseSession session = DatabaseSession.open(ctx, c, transport, tools)) {
      // The server query also proves the client tool (which a restore needs) is there.
      DatabaseSession.Preflight preflight = session.preflight(engine.dumpTool());
      String toolVersion = preflight.toolVersion();
      ServerInfo server = preflight.server();
      ctx.log(
          c.describe()
              + " runs "
              + server.version()
              + "; database '"
              + c.database()
              + "' takes "
              + (server.sizeBytes() < 0 ? "an unknown size" : DiskSpace.human(server.sizeBytes()))
              + "; "
              + toolVersion);
      DiskSpace.check(c, server.sizeBytes(), home);

      ctx.log(
          "dumping into "
              + partial
              + ": "
              + session.display(engine.dumpTool(), engine.dumpArgs(c))
              + (transport instanceof LocalTransport ? "" : " " + transport.where()));
      Instant started = Instant.now();
      DumpOutput out = DumpOutput.create(partial);
      boolean complete = false;
      try {
        ToolResult result;
        try (out) {
          result = session.run(engine.dumpTool(), engine.dumpArgs(c), null, out, true);
          if (result.exitCode() == 0) {
            out.sync();
          }
        }
        if (result.exitCode() != 0) {
          throw new StepFailedException(
              engine.dumpTool()
                  + " of database '"
                  + c.database()
                  + "' "
                  + result.exitedWith(engine.explain(c, result.stderr()))
                  + "; the partial dump was deleted");
        }
        result.stderr().lines().filter(line -> !line.isBlank()).forEach(ctx::log);
        Files.move(partial, dump, StandardCopyOption.ATOMIC_MOVE);
        syncDirectory(home);
        complete = true;
      } finally {
        if (!complete) {
          Files.deleteIfExists(partial);
        }
      }
      Duration took = Duration.between(started, Instant.now());

      Map<String, Object> outputs = new LinkedHashMap<>();
      outputs.put("artifact", dir + "/" + fileName);
      outputs.put("sha256", out.sha256());
      outputs.put("sizeBytes", out.size());
      outputs.put("engine", engine.name());
      outputs.put("database", c.database());
      outputs.put("host", c.host());
      outputs.put("port", c.port());
      outputs.put("user", c.user());
      outputs.put("via", transport.name());
      Map<String, Object> viaArgs = args.recordedViaArgs(ctx);
      if (!viaArgs.isEmpty()) {
        outputs.put("viaArgs", viaArgs);
      }
      outputs.put("toolVersion", toolVersion);
      outputs.put("serverVersion", server.version());
      outputs.put("createdAt", started.toString());
      args.recordSecretNames(outputs);

      Map<String, Object> record = new LinkedHashMap<>(outputs);
      record.remove("artifact");
      record.put("file", fileName);
      record.put("runId", ctx.runId());
      record.put("stepId", ctx.stepId());
      BackupManifest.write(manifest, record);

      ctx.log(
          "dumped database '"
              + c.database()
              + "' to "
              + dump
              + ": "
              + DiskSpace.human(out.size())
              + " in "
              + took.toMillis()
              + " ms, sha256 "
              + outputs.get("sha256"));
      return outputs;
    }
  }

  /** Makes a rename durable: on Linux, a directory's entries reach the disk with its own fsync. */
  static void syncDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      // Not every platform can open a directory; the rename itself already happened.
    }
  }
}
