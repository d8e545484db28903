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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import net.schmizz.sshj.sftp.SFTPClient;
import net.schmizz.sshj.xfer.FileSystemFile;

/**
 * {@code uploadFile}: copies a local file to a host over SFTP and puts it in place atomically: the
 * bytes go to a temporary name in the destination's directory, which is then renamed over the
 * destination, so a reader sees the old file or the new one, never half of it.
 *
 * <pre>{@code
 * uploadFile 'config', source: 'files/gateway.conf', path: '/opt/tyk/tyk.conf', mode: '0640', sudo: true
 * }</pre>
 *
 * With {@code sudo}, the file goes to a private temporary file of the login user first, and {@code
 * sudo install} copies it next to the destination (owned by root, or the sudo user) before the
 * rename. Without {@code mode}, a replaced file keeps its mode and a new one gets 0644. Outputs
 * {@code path}, {@code bytes}, {@code sha256}, {@code mode} (octal, as now on the host) and {@code
 * host}. Without a declared undo unless the playbook declares one.
 */
public final class UploadFileStepType implements StepType {

  private static final Pattern MODE = Pattern.compile("0?[0-7]{3}");

  /**
   * Sets the mode ($4, else the replaced file's, else 644) on the temporary file ($2, or a copy of
   * $2 made by install at $3), renames it over $1 and prints the mode now in place. Values arrive
   * as positional parameters, never inside the script.
   */
  private static final String PLACE =
      "set -e; dest=$1; src=$2; tmp=$3; mode=$4; trap 'rm -f -- \"$tmp\"' EXIT; "
          + "if [ -z \"$mode\" ]; then if [ -e \"$dest\" ]; then mode=$(stat -c %a -- \"$dest\");"
          + " else mode=644; fi; fi; "
          + "if [ \"$src\" = \"$tmp\" ]; then chmod \"$mode\" -- \"$tmp\";"
          + " else install -m \"$mode\" -- \"$src\" \"$tmp\"; fi; "
          + "mv -f -- \"$tmp\" \"$dest\"; stat -c %a -- \"$dest\"";

  private static final List<ArgSpec> ARGUMENTS =
      SshArgs.with(
          ArgSpec.required("source", String.class, "local file to upload"),
          ArgSpec.required("path", String.class, "absolute destination path on the host"),
          ArgSpec.optional(
              "mode", String.class, null, "octal mode such as '0640' (default: kept, or 0644)"),
          SshArgs.SUDO);

  @Override
  public String name() {
    return "uploadFile";
  }

  @Override
  public String summary() {
    return "copy a local file to a host over SFTP, replacing the destination atomically";
  }

  @Override
  public List<ArgSpec> arguments() {
    return ARGUMENTS;
  }

  @Override
  public Step.Builder create(String id, Map<String, Object> args) {
    Object source = SshArgs.required(name(), id, args, "source");
    Object path = SshArgs.required(name(), id, args, "path");
    Object mode = args.get("mode");
    if (mode != null && !MODE.matcher(mode.toString()).matches()) {
      throw new IllegalArgumentException(
          "uploadFile '" + id + "': mode must be octal such as '0644', got '" + mode + "'");
    }
    Upload upload =
        new Upload(
            source,
            path,
            mode == null ? null : mode.toString(),
            SshArgs.sudo(name(), id, args),
            SshArgs.connection(args));
    Step.Builder step =
        Step.builder(id, upload::run)
            .type(name())
            .compensation(Compensation.undeclared())
            .describe(
                "upload "
                    + StepArgs.display(source)
                    + " to "
                    + StepArgs.display(path)
                    + (mode == null ? "" : " with mode " + mode)
                    + SshArgs.as(upload.sudo())
                    + SshArgs.on(upload.connection()))
            .idempotent(true)
            .argument("source", StepArgs.display(source))
            .argument("path", StepArgs.display(path));
    if (mode != null) {
      step.argument("mode", mode.toString());
    }
    if (upload.sudo() != null) {
      step.argument("sudo", StepArgs.display(upload.sudo()));
    }
    upload.connection().forEach((k, v) -> step.argument(k, StepArgs.display(v)));
    return step;
  }

  private record Upload(
      Object source, Object path, String mode, Object sudo, Map<String, Object> connection) {

    Map<String, Object> run(StepContext ctx) throws Exception {
      Path local = StepArgs.path(ctx, source);
      String remote = ctx.resolveText(path);
      String what = "uploadFile " + local + " to " + remote;
      if (!Files.isRegularFile(local)) {
        throw new StepFailedException(what + ": local file " + local + " does not exist");
      }
      if (!remote.startsWith("/") || remote.endsWith("/")) {
        throw new StepFailedException(
            what + ": path must be an absolute file path on the host, got '" + remote + "'");
      }
      SshTarget target = SshTarget.resolve(ctx, connection, what);
      long bytes = Files.size(local);
      String sha256 = LocalFiles.sha256(local);
      String placed = SshConnections.use(ctx, target, c -> place(ctx, c, local, remote, what));
      ctx.log(
          "uploaded "
              + local
              + " ("
              + bytes
              + " bytes, sha256 "
              + sha256.substring(0, 12)
              + "…) to "
              + target.address()
              + ":"
              + remote
              + ", mode "
              + placed);
      Map<String, Object> outputs = new LinkedHashMap<>();
      outputs.put("path", remote);
      outputs.put("bytes", bytes);
      outputs.put("sha256", sha256);
      outputs.put("mode", placed);
      outputs.put("host", target.host());
      return outputs;
    }

    /** Uploads to a temporary name and renames it into place; returns the mode in place. */
    private String place(StepContext ctx, SshConnection c, Path local, String remote, String what)
        throws InterruptedException {
      String suffix = LocalFiles.randomSuffix();
      String tmp =
          LocalFiles.remoteParent(remote)
              + "/."
              + LocalFiles.remoteName(remote)
              + ".lockstep-"
              + suffix;
      // Without sudo the login user writes next to the destination; with it, only to its own
      // private temporary file, which sudo install then copies next to the destination.
      String staged = sudo == null ? tmp : "/tmp/.lockstep-upload-" + suffix;
      try (SFTPClient sftp = c.sftp()) {
        try {
          sftp.put(new FileSystemFile(local.toFile()), staged);
          sftp.chmod(staged, 0600);
        } catch (IOException e) {
          removeQuietly(sftp, staged);
          throw new StepFailedException(
              what
                  + ": cannot write "
                  + staged
                  + " on "
                  + c.target().address()
                  + " ("
                  + e.getMessage()
                  + ")"
                  + (sudo == null
                      ? "; does the directory exist and may "
                          + c.target().user()
                          + " write to it? (sudo: true writes as root)"
                      : ""),
              e);
        }
        try {
          List<String> words = new ArrayList<>(SshArgs.sudoWords(ctx, sudo));
          words.addAll(List.of("sh", "-c", PLACE, "sh", remote, staged, tmp, mode(mode)));
          RemoteExec.Result result =
              new RemoteExec(what, ctx, SshArgs.sudoWords(ctx, sudo))
                  .quietStdout()
                  .run(c, RemoteExec.wrap("exec " + ShellQuote.join(words)), 4096);
          if (result.exitCode() != 0) {
            throw new StepFailedException(
                what
                    + ": putting the file in place failed with exit code "
                    + result.exitCode()
                    + (result.lastStderrLine().isBlank() ? "" : ": " + result.lastStderrLine()));
          }
          return result.stdout();
        } finally {
          if (sudo != null) {
            removeQuietly(sftp, staged);
          }
        }
      } catch (IOException e) {
        throw new StepFailedException(what + ": " + e, e);
      }
    }

    private static String mode(String mode) {
      return mode == null ? "" : mode;
    }

    private static void removeQuietly(SFTPClient sftp, String path) {
      try {
        sftp.rm(path);
      } catch (IOException e) {
        // already gone, or never written
      }
    }
  }
}
