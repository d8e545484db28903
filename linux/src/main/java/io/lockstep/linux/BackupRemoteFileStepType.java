package io.lockstep.linux;

import io.lockstep.engine.model.Compensation;
import io.lockstep.engine.model.Step;
import io.lockstep.engine.model.StepContext;
import io.lockstep.engine.spi.ArgSpec;
import io.lockstep.engine.spi.StepType;
import io.lockstep.ssh.RemoteHost;
import io.lockstep.steps.StepArgs;
import io.lockstep.steps.StepFailedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code backupRemoteFile}: copies a file from a host into the run's artifacts, read as root, and
 * records its mode and owner; its undo puts that copy back in place with them.
 *
 * <pre>{@code
 * backupRemoteFile 'config', path: '/opt/tyk-gateway/tyk.conf'
 * }</pre>
 *
 * The file is read with {@code sudo cat} into a private temporary file of the login user, fetched
 * over SFTP and removed. Restoring uploads the copy to a private temporary file, {@code sudo
 * install} copies it next to the file with the recorded mode, owner and group, and a rename
 * replaces the file atomically. Outputs {@code file} (the local copy), {@code bytes}, {@code
 * sha256}, {@code mode}, {@code owner}, {@code group}, {@code path} and {@code host}.
 */
public final class BackupRemoteFileStepType implements StepType {

  /** Prints mode, owner and group of $1, then copies it (as root) to $2, owned by $3. */
  private static final String READ =
      "set -e; umask 077; stat -c '%a %U %G' -- \"$1\"; cat -- \"$1\" > \"$2\"; chown -- \"$3\" \"$2\"";

  /** Installs $2 as $1 with mode $3, owner $4, group $5, through a temporary name beside it. */
  private static final String PLACE =
      "set -e; tmp=$(dirname -- \"$1\")/.$(basename -- \"$1\").lockstep-$6; trap 'rm -f --"
          + " \"$tmp\"' EXIT; install -m \"$3\" -o \"$4\" -g \"$5\" -- \"$2\" \"$tmp\"; mv -f --"
          + " \"$tmp\" \"$1\"";

  private static final List<ArgSpec> ARGUMENTS =
      RemoteHost.withConnectionArguments(
          ArgSpec.required("path", String.class, "absolute path of the file on the host"));

  @Override
  public String name() {
    return "backupRemoteFile";
  }

  @Override
  public String summary() {
    return "copy a file from a host (read as root) into the run's artifacts; the undo restores it";
  }

  @Override
  public List<ArgSpec> arguments() {
    return ARGUMENTS;
  }

  @Override
  public Step.Builder create(String id, Map<String, Object> args) {
    Object path = StepArgs.text(args, "path");
    if (path == null || path.toString().isBlank()) {
      throw new IllegalArgumentException("backupRemoteFile '" + id + "': path must not be empty");
    }
    Map<String, Object> connection = RemoteHost.connection(args);
    Step.Builder step =
        Step.builder(id, ctx -> backup(ctx, id, path, connection))
            .type(name())
            .describe(
                "back up "
                    + StepArgs.display(path)
                    + " into the run's artifacts"
                    + RemoteHost.on(connection))
            .compensation(
                Compensation.of(
                    "restore " + StepArgs.display(path) + " from the backup, same mode and owner",
                    ctx -> restore(ctx, path, connection)))
            .idempotent(true)
            .argument("path", StepArgs.display(path));
    connection.forEach((k, v) -> step.argument(k, StepArgs.display(v)));
    return step;
  }

  private static Map<String, Object> backup(
      StepContext ctx, String id, Object pathArg, Map<String, Object> connection) throws Exception {
    String remote = ctx.resolveText(pathArg);
    String what = "backupRemoteFile " + remote;
    if (!remote.startsWith("/") || remote.endsWith("/")) {
      throw new StepFailedException(what + ": path must be an absolute file path on the host");
    }
    RemoteHost host = RemoteHost.resolve(ctx, connection, what);
    String staged = "/tmp/.lockstep-backup-" + UUID.randomUUID();
    Path local =
        ctx.artifactsDir()
            .resolve(StepArgs.fileName(id))
            .resolve(remote.substring(remote.lastIndexOf('/') + 1));
    Files.createDirectories(local.getParent());
    String[] meta;
    try {
      RemoteHost.Result r = host.script(READ, List.of(remote, staged, host.user()), true, false);
      if (!r.ok()) {
        throw new StepFailedException(what + ": cannot read it on " + host.address() + r.failure());
      }
      meta = r.stdout().strip().split(" ");
      host.download(staged, local);
    } finally {
      host.run(List.of("rm", "-f", "--", staged), true, false);
    }
    byte[] bytes = Files.readAllBytes(local);
    String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    ctx.log(
        "backed up "
            + host.address()
            + ":"
            + remote
            + " (mode "
            + meta[0]
            + ", "
            + meta[1]
            + ":"
            + meta[2]
            + ", "
            + bytes.length
            + " bytes, sha256 "
            + sha256.substring(0, 12)
            + "…) to "
            + local);
    Map<String, Object> outputs = new LinkedHashMap<>();
    outputs.put("file", local.toString());
    outputs.put("bytes", bytes.length);
    outputs.put("sha256", sha256);
    outputs.put("mode", meta[0]);
    outputs.put("owner", meta[1]);
    outputs.put("group", meta[2]);
    outputs.put("path", remote);
    outputs.put("host", host.host());
    return outputs;
  }

  private static Map<String, Object> restore(
      StepContext ctx, Object pathArg, Map<String, Object> connection) throws Exception {
    Map<String, Object> own = ctx.ownOutputs();
    String remote = String.valueOf(own.getOrDefault("path", ctx.resolveText(pathArg)));
    String what = "restore " + remote;
    Path local = Path.of(String.valueOf(own.get("file")));
    if (!Files.isRegularFile(local)) {
      throw new StepFailedException(what + ": the backup " + local + " is gone");
    }
    RemoteHost host = RemoteHost.resolve(ctx, connection, what);
    String suffix = UUID.randomUUID().toString();
    String staged = "/tmp/.lockstep-restore-" + suffix;
    try {
      host.upload(local, staged);
      RemoteHost.Result r =
          host.script(
              PLACE,
              List.of(
                  remote,
                  staged,
                  String.valueOf(own.get("mode")),
                  String.valueOf(own.get("owner")),
                  String.valueOf(own.get("group")),
                  suffix),
              true,
              false);
      if (!r.ok()) {
        throw new StepFailedException(what + " on " + host.address() + " failed" + r.failure());
      }
    } finally {
      host.run(List.of("rm", "-f", "--", staged), false, false);
    }
    ctx.log("restored " + host.address() + ":" + remote + " from " + local);
    return Map.of();
  }
}
