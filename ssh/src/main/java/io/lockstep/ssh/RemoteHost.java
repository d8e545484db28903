package io.lockstep.ssh;

import io.lockstep.engine.model.StepContext;
import io.lockstep.engine.spi.ArgSpec;
import io.lockstep.steps.StepFailedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.schmizz.sshj.sftp.SFTPClient;
import net.schmizz.sshj.xfer.FileSystemFile;

/**
 * The SSH connector for other modules' step types: one step's host, resolved from its arguments and
 * target as the {@code ssh} step resolves it, reached over the run's shared connection. Commands
 * are argument vectors, quoted for the remote shell; scripts get their values as positional
 * parameters.
 *
 * <pre>{@code
 * RemoteHost host = RemoteHost.resolve(ctx, RemoteHost.connection(args), "installPackage tyk");
 * RemoteHost.Result r = host.run(List.of("dpkg-query", "-W", "tyk"), true, false);
 * }</pre>
 */
public final class RemoteHost {

  /**
   * How a remote command ended.
   *
   * @param exitCode its exit status
   * @param stdout its stdout (the last part kept), trimmed
   * @param stderr its stderr (the last part kept), trimmed
   * @param lastStderrLine its last stderr line that was not blank, or empty
   */
  public record Result(int exitCode, String stdout, String stderr, String lastStderrLine) {

    public boolean ok() {
      return exitCode == 0;
    }

    /** " with exit code N: LAST STDERR LINE", for failure messages. */
    public String failure() {
      return " with exit code "
          + exitCode
          + (lastStderrLine.isBlank() ? "" : ": " + lastStderrLine.strip());
    }
  }

  /** How much of stdout and stderr a command keeps. */
  private static final int CAPTURE_BYTES = 1 << 20;

  private final StepContext ctx;
  private final SshTarget target;
  private final String what;

  private RemoteHost(StepContext ctx, SshTarget target, String what) {
    this.ctx = ctx;
    this.target = target;
    this.what = what;
  }

  /** The connection arguments ({@code host}, {@code port}, {@code user}, ...) after {@code own}. */
  public static List<ArgSpec> withConnectionArguments(ArgSpec... own) {
    return SshArgs.with(own);
  }

  /** The connection arguments the playbook gave, unresolved (they may hold secrets). */
  public static Map<String, Object> connection(Map<String, Object> args) {
    return SshArgs.connection(args);
  }

  /** " on USER@HOST:PORT" for descriptions when the step names its host, else nothing. */
  public static String on(Map<String, Object> connection) {
    return SshArgs.on(connection);
  }

  /**
   * The host of one step: its connection arguments, else its target's attributes.
   *
   * @param what the step as messages name it
   * @throws StepFailedException when no host is given or a value is malformed
   */
  public static RemoteHost resolve(StepContext ctx, Map<String, Object> connection, String what) {
    return new RemoteHost(ctx, SshTarget.resolve(ctx, connection, what), what);
  }

  /** The host name or address. */
  public String host() {
    return target.host();
  }

  /** {@code user@host:port}. */
  public String address() {
    return target.address();
  }

  /** The login user. */
  public String user() {
    return target.user();
  }

  /**
   * Runs a program with its arguments, each quoted, as root with {@code sudo -n} when asked.
   *
   * @param logStdout whether stdout lines go to the run log (stderr always does)
   */
  public Result run(List<String> argv, boolean sudo, boolean logStdout) throws Exception {
    List<String> prefix = sudo ? SshArgs.sudoWords(ctx, true) : List.of();
    List<String> words = new ArrayList<>(prefix);
    words.addAll(argv);
    String line = RemoteExec.wrap("exec " + ShellQuote.join(words));
    String label = what + " on " + target.address();
    RemoteExec.Result r =
        SshConnections.use(
            ctx,
            target,
            c -> {
              RemoteExec exec = new RemoteExec(label, ctx, prefix);
              if (!logStdout) {
                exec.quietStdout();
              }
              return exec.run(c, line, CAPTURE_BYTES);
            });
    return new Result(r.exitCode(), r.stdout(), r.stderr(), r.lastStderrLine());
  }

  /**
   * Runs {@code sh -c SCRIPT sh PARAMS...}: the script reads its values as {@code $1}, {@code $2},
   * ..., never pasted into it.
   */
  public Result script(String script, List<String> params, boolean sudo, boolean logStdout)
      throws Exception {
    List<String> argv = new ArrayList<>(List.of("sh", "-c", script, "sh"));
    argv.addAll(params);
    return run(argv, sudo, logStdout);
  }

  /** Copies a remote file the login user may read to a local file, over SFTP. */
  public void download(String remote, Path local) throws Exception {
    SshConnections.use(
        ctx,
        target,
        c -> {
          try (SFTPClient sftp = c.sftp()) {
            sftp.get(remote, new FileSystemFile(local.toFile()));
          } catch (IOException e) {
            Files.deleteIfExists(local);
            throw new StepFailedException(
                what + ": cannot copy " + remote + " from " + target.address() + ": " + e, e);
          }
          return null;
        });
  }

  /** Copies a local file to a remote path the login user may write, over SFTP, with mode 0600. */
  public void upload(Path local, String remote) throws Exception {
    SshConnections.use(
        ctx,
        target,
        c -> {
          try (SFTPClient sftp = c.sftp()) {
            sftp.put(new FileSystemFile(local.toFile()), remote);
            sftp.chmod(remote, 0600);
          } catch (IOException e) {
            throw new StepFailedException(
                what
                    + ": cannot copy "
                    + local
                    + " to "
                    + target.address()
                    + ":"
                    + remote
                    + ": "
                    + e,
                e);
          }
          return null;
        });
  }
}
