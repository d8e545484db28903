package io.lockstep.ssh;

import io.lockstep.engine.model.Compensation;
import io.lockstep.engine.model.Step;
import io.lockstep.engine.model.StepContext;
import io.lockstep.engine.spi.ArgSpec;
import io.lockstep.engine.spi.StepType;
import io.lockstep.steps.StepArgs;
import io.lockstep.steps.StepFailedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.schmizz.sshj.sftp.Response;
import net.schmizz.sshj.sftp.SFTPClient;
import net.schmizz.sshj.sftp.SFTPException;
import net.schmizz.sshj.xfer.FileSystemFile;

/**
 * {@code downloadFile}: copies a file from a host over SFTP into the run's artifacts (or to {@code
 * to}), through a temporary name renamed when complete.
 *
 * <pre>{@code
 * downloadFile 'old-config', path: '/opt/tyk/tyk.conf'
 * }</pre>
 *
 * Outputs {@code file} (the local path), {@code bytes}, {@code sha256} and {@code host}. Reads as
 * the login user (no sudo). Changes nothing on the host: nothing to undo.
 */
public final class DownloadFileStepType implements StepType {

  private static final List<ArgSpec> ARGUMENTS =
      SshArgs.with(
          ArgSpec.required("path", String.class, "absolute path of the file on the host"),
          ArgSpec.optional(
              "to", String.class, null, "local file (default: in the run's artifacts directory)"));

  @Override
  public String name() {
    return "downloadFile";
  }

  @Override
  public String summary() {
    return "copy a file from a host over SFTP into the run's artifacts or a local path";
  }

  @Override
  public List<ArgSpec> arguments() {
    return ARGUMENTS;
  }

  @Override
  public Step.Builder create(String id, Map<String, Object> args) {
    Object path = SshArgs.required(name(), id, args, "path");
    Object to = args.get("to");
    Download download = new Download(id, path, to, SshArgs.connection(args));
    Step.Builder step =
        Step.builder(id, download::run)
            .type(name())
            .compensation(Compensation.none())
            .describe(
                "download "
                    + StepArgs.display(path)
                    + (to == null ? " into the run's artifacts" : " to " + StepArgs.display(to))
                    + SshArgs.on(download.connection()))
            .idempotent(true)
            .argument("path", StepArgs.display(path));
    if (to != null) {
      step.argument("to", StepArgs.display(to));
    }
    download.connection().forEach((k, v) -> step.argument(k, StepArgs.display(v)));
    return step;
  }

  private record Download(String id, Object path, Object to, Map<String, Object> connection) {

    Map<String, Object> run(StepContext ctx) throws Exception {
      String remote = ctx.resolveText(path);
      String what = "downloadFile " + remote;
      if (!remote.startsWith("/") || remote.endsWith("/")) {
        throw new StepFailedException(
            what + ": path must be an absolute file path on the host, got '" + remote + "'");
      }
      Path local =
          to == null
              ? ctx.artifactsDir()
                  .resolve(StepArgs.fileName(id))
                  .resolve(LocalFiles.remoteName(remote))
              : StepArgs.path(ctx, to);
      Files.createDirectories(local.getParent());
      Path partial =
          local.resolveSibling("." + local.getFileName() + ".part-" + LocalFiles.randomSuffix());
      SshTarget target = SshTarget.resolve(ctx, connection, what);
      SshConnections.use(
          ctx,
          target,
          c -> {
            try (SFTPClient sftp = c.sftp()) {
              sftp.get(remote, new FileSystemFile(partial.toFile()));
            } catch (SFTPException e) {
              Files.deleteIfExists(partial);
              throw new StepFailedException(
                  what
                      + ": "
                      + (e.getStatusCode() == Response.StatusCode.NO_SUCH_FILE
                          ? "no such file on " + target.address()
                          : e.getStatusCode() == Response.StatusCode.PERMISSION_DENIED
                              ? target.user() + " may not read it on " + target.address()
                              : e.getMessage()),
                  e);
            } catch (IOException | RuntimeException e) {
              Files.deleteIfExists(partial);
              throw e;
            }
            return null;
          });
      Files.move(
          partial, local, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      long bytes = Files.size(local);
      String sha256 = LocalFiles.sha256(local);
      ctx.log(
          "downloaded "
              + target.address()
              + ":"
              + remote
              + " to "
              + local
              + " ("
              + bytes
              + " bytes, sha256 "
              + sha256.substring(0, 12)
              + "…)");
      Map<String, Object> outputs = new LinkedHashMap<>();
      outputs.put("file", local.toString());
      outputs.put("bytes", bytes);
      outputs.put("sha256", sha256);
      outputs.put("host", target.host());
      return outputs;
    }
  }
}
