package io.lockstep.ssh;

import io.lockstep.database.StreamPump;
import io.lockstep.database.ToolCall;
import io.lockstep.database.ToolNotFoundException;
import io.lockstep.database.ToolResult;
import io.lockstep.database.ToolScript;
import io.lockstep.database.Transport;
import io.lockstep.engine.model.StepContext;
import io.lockstep.steps.OutputTail;
import io.lockstep.steps.StepArgs;
import io.lockstep.steps.StepFailedException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import net.schmizz.sshj.connection.channel.direct.Session;
import net.schmizz.sshj.connection.channel.direct.Signal;
import net.schmizz.sshj.sftp.FileAttributes;
import net.schmizz.sshj.sftp.OpenMode;
import net.schmizz.sshj.sftp.RemoteFile;
import net.schmizz.sshj.sftp.SFTPClient;

/**
 * {@code via: 'ssh'}: runs a database's tools on a host over the run's shared SSH connection to it,
 * one session per tool. The dump streams from the session's stdout and a restore into its stdin.
 *
 * <p>Nothing secret is on a command line: an SSH server passes the client's environment only where
 * {@code AcceptEnv} allows, so the call's environment ({@code PGPASSWORD}) goes into a private
 * file, uploaded over SFTP with mode 0600 into {@code /tmp}, which {@link ToolScript} sources and
 * deletes before the tool starts (and the transport deletes again, in case the tool never started).
 * MySQL's option file travels the same way. A cancelled step kills the tool on the host (TERM, then
 * KILL) by the process id the wrapper reported.
 */
final class SshTransport implements Transport {

  private static final int TAIL_BYTES = 64 * 1024;
  private static final long POLL_MILLIS = 50;
  private static final long STOP_GRACE_MILLIS = 2_000;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SshTarget target;

  /** The last command line sent, for specs that check that no secret is on it. */
  volatile String lastCommandLine;

  SshTransport(SshTarget target) {
    this.target = target;
  }

  @Override
  public String name() {
    return SshTransportProvider.NAME;
  }

  @Override
  public String where() {
    return "on " + target.address();
  }

  @Override
  public ToolResult run(ToolCall call, StepContext ctx) throws IOException, InterruptedException {
    PrivateFile env =
        call.env().isEmpty() ? null : privateFile("env", ToolScript.envFile(call.env()), ctx);
    try {
      String line = ShellQuote.join(ToolScript.argv(call, env == null ? "" : env.path()));
      lastCommandLine = line;
      ToolResult result = use(ctx, c -> exec(c, line, call, ctx));
      if (ToolScript.notFound(result.exitCode(), result.stderr())) {
        throw new ToolNotFoundException(
            call.program(), (call.program().contains("/") ? "" : "on PATH ") + where());
      }
      return result;
    } finally {
      if (env != null) {
        env.close();
      }
    }
  }

  private ToolResult exec(SshConnection connection, String line, ToolCall call, StepContext ctx)
      throws IOException, InterruptedException {
    String what = "run " + call.program() + " " + where();
    Session session = connection.session();
    try {
      Session.Command command;
      try {
        command = session.exec(line);
      } catch (IOException e) {
        throw new SshConnection.Lost(what + ": the command could not start (" + e + ")", e);
      }
      OutputTail stdoutTail = new OutputTail(call.stdout() == null ? TAIL_BYTES : 0);
      OutputTail stderrTail = new OutputTail(TAIL_BYTES);
      ToolScript.Stderr stderr = new ToolScript.Stderr(stderrTail.asStream());
      List<StreamPump> pumps = new ArrayList<>();
      try {
        if (call.stdin() == null) {
          command.getOutputStream().close();
        } else {
          pumps.add(
              StreamPump.start(
                  call.stdin(), command.getOutputStream(), StreamPump.Blame.READ, true, "stdin"));
        }
        StreamPump out =
            StreamPump.start(
                command.getInputStream(),
                call.stdout() == null ? stdoutTail.asStream() : call.stdout(),
                StreamPump.Blame.WRITE,
                false,
                "stdout");
        StreamPump err =
            StreamPump.start(
                command.getErrorStream(), stderr, StreamPump.Blame.WRITE, false, "stderr");
        pumps.add(out);
        pumps.add(err);
        while (!out.done() || !err.done()) {
          out.await(POLL_MILLIS);
          ctx.cancellation().throwIfCancelled();
          if (Thread.interrupted()) {
            throw new InterruptedException();
          }
          for (StreamPump pump : pumps) {
            if (pump.failure() != null) {
              throw pump.failure();
            }
          }
        }
        command.join(5, TimeUnit.SECONDS);
      } catch (InterruptedException | CancellationException | IOException e) {
        stop(connection, command, stderr.pid(), ctx, what);
        throw e;
      }
      stderr.close();
      Integer status = command.getExitStatus();
      if (status == null) {
        if (command.getExitSignal() != null) {
          throw new StepFailedException(what + " was killed by signal " + command.getExitSignal());
        }
        throw new StepFailedException(
            what + ": the connection dropped while the tool ran; the next step connects again");
      }
      return new ToolResult(status, stdoutTail.text(), stderrTail.text());
    } finally {
      try {
        session.close();
      } catch (IOException e) {
        // the channel is gone either way
      }
    }
  }

  /** Ends the tool on the host: TERM, then KILL, by its process id, then its channel. */
  private void stop(
      SshConnection connection, Session.Command command, long pid, StepContext ctx, String what) {
    for (String signal : List.of("TERM", "KILL")) {
      try {
        command.signal(Signal.valueOf(signal));
      } catch (IOException | RuntimeException e) {
        // a server that does not take channel signals: the kill below does it
      }
      if (pid > 1) {
        try (Session session = connection.session();
            Session.Command kill = session.exec("kill -" + signal + " " + pid)) {
          kill.join(STOP_GRACE_MILLIS, TimeUnit.MILLISECONDS);
        } catch (IOException | RuntimeException e) {
          ctx.log(what + ": could not signal process " + pid + " on the host: " + e);
        }
      }
      try {
        command.join(STOP_GRACE_MILLIS, TimeUnit.MILLISECONDS);
      } catch (IOException e) {
        // closed: the tool has ended
      }
      if (!command.isOpen()) {
        break;
      }
    }
    ctx.log(what + ": stopped on the host");
  }

  /**
   * In the host's {@code /tmp}, created exclusively with mode 0600 over SFTP, so no other user can
   * read it at any moment; closing deletes it.
   */
  @Override
  public PrivateFile privateFile(String name, String content, StepContext ctx) throws IOException {
    byte[] random = new byte[8];
    RANDOM.nextBytes(random);
    String path =
        "/tmp/lockstep-" + HexFormat.of().formatHex(random) + "-" + StepArgs.fileName(name);
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    try {
      use(
          ctx,
          c -> {
            try (SFTPClient sftp = c.sftp();
                RemoteFile file =
                    sftp.open(
                        path,
                        EnumSet.of(OpenMode.WRITE, OpenMode.CREAT, OpenMode.EXCL),
                        new FileAttributes.Builder().withPermissions(0600).build())) {
              file.write(0, bytes, 0, bytes.length);
            }
            return null;
          });
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while writing a private file " + where(), e);
    }
    return new PrivateFile() {
      @Override
      public String path() {
        return path;
      }

      @Override
      public void close() {
        try {
          use(
              ctx,
              c -> {
                try (SFTPClient sftp = c.sftp()) {
                  if (sftp.statExistence(path) != null) {
                    sftp.rm(path);
                  }
                }
                return null;
              });
        } catch (IOException | InterruptedException | RuntimeException e) {
          ctx.log("could not delete the private file " + path + " " + where() + ": " + e);
        }
      }
    };
  }

  private <T> T use(StepContext ctx, SshConnections.Work<T> work)
      throws IOException, InterruptedException {
    try {
      return SshConnections.use(ctx, target, work);
    } catch (IOException | InterruptedException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException(e.getMessage(), e);
    }
  }
}
