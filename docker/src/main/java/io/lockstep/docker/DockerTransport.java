package io.lockstep.docker;

import com.github.dockerjava.api.command.InspectExecResponse;
import io.lockstep.database.StreamPump;
import io.lockstep.database.ToolCall;
import io.lockstep.database.ToolNotFoundException;
import io.lockstep.database.ToolResult;
import io.lockstep.database.ToolScript;
import io.lockstep.database.Transport;
import io.lockstep.engine.model.Cancellation;
import io.lockstep.engine.model.StepContext;
import io.lockstep.steps.OutputTail;
import io.lockstep.steps.StepArgs;
import io.lockstep.steps.StepFailedException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * {@code via: 'docker'}: runs a database's tools inside a running container with {@code docker
 * exec}, as the container's default user. The dump streams out of the exec's stdout and a restore
 * into its stdin over a connection of its own ({@link ExecSocket}); nothing is written into the
 * container but a password file for MySQL.
 *
 * <p>The password reaches PostgreSQL's tools in the exec's environment, which neither the
 * container's nor the exec's inspect output shows, and no argument vector holds it. MySQL's option
 * file is written into the container's {@code /tmp} with mode 0600 through an exec's stdin and
 * deleted at the end. Each tool runs under {@link ToolScript}, which needs {@code sh} in the
 * container: it reports the tool's process id, so a cancelled step kills the tool with TERM, then
 * KILL (Docker itself cannot end an exec), and it tells a missing program apart.
 */
final class DockerTransport implements Transport {

  private static final int TAIL_BYTES = 64 * 1024;
  private static final long POLL_MILLIS = 50;
  private static final long STOP_GRACE_MILLIS = 3_000;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Docker docker;
  private final String container;
  private final String containerId;

  /** The last exec created, for specs that inspect it. */
  volatile String lastExecId;

  private DockerTransport(Docker docker, String container, String containerId) {
    this.docker = docker;
    this.container = container;
    this.containerId = containerId;
  }

  /** Leases the endpoint's client and checks that the container runs. */
  static DockerTransport open(StepContext ctx, String container, Object dockerHost)
      throws InterruptedException {
    Docker docker = DockerArgs.docker(ctx, dockerHost);
    try {
      var inspected = docker.container(container);
      if (!inspected.path("State").path("Running").asBoolean()) {
        throw new StepFailedException(
            "cannot run the database tools in container " + container + ": it is not running");
      }
      return new DockerTransport(docker, container, inspected.path("Id").asText());
    } catch (RuntimeException | InterruptedException e) {
      docker.close();
      throw e;
    }
  }

  @Override
  public String name() {
    return DockerTransportProvider.NAME;
  }

  @Override
  public String where() {
    return "in container " + container;
  }

  @Override
  public ToolResult run(ToolCall call, StepContext ctx) throws IOException, InterruptedException {
    List<String> env = new ArrayList<>();
    call.env().forEach((k, v) -> env.add(k + "=" + v));
    ToolResult result =
        exec(
            ToolScript.argv(call, ""),
            env,
            call.stdin(),
            call.stdout(),
            ctx.cancellation(),
            ctx,
            call.program());
    if (ToolScript.notFound(result.exitCode(), result.stderr())) {
      throw new ToolNotFoundException(
          call.program(), (call.program().contains("/") ? "" : "on PATH ") + where());
    }
    return result;
  }

  /** Runs an argument vector in the container to its end, streaming as {@link #run} describes. */
  private ToolResult exec(
      List<String> argv,
      List<String> env,
      InputStream stdin,
      OutputStream stdout,
      Cancellation cancellation,
      StepContext ctx,
      String program)
      throws IOException, InterruptedException {
    String what = "run " + program + " " + where();
    String execId =
        docker.call(
            what,
            () -> {
              var cmd =
                  docker
                      .client()
                      .execCreateCmd(containerId)
                      .withCmd(argv.toArray(String[]::new))
                      .withAttachStdin(stdin != null)
                      .withAttachStdout(true)
                      .withAttachStderr(true);
              if (!env.isEmpty()) {
                cmd.withEnv(env);
              }
              return cmd.exec().getId();
            });
    lastExecId = execId;
    OutputTail stdoutTail = new OutputTail(stdout == null ? TAIL_BYTES : 0);
    OutputTail stderrTail = new OutputTail(TAIL_BYTES);
    ToolScript.Stderr stderr = new ToolScript.Stderr(stderrTail.asStream());
    List<StreamPump> pumps = new ArrayList<>();
    try (ExecSocket socket = ExecSocket.start(docker.host(), execId, what)) {
      try {
        if (stdin != null) {
          pumps.add(StreamPump.start(stdin, socket.stdin(), StreamPump.Blame.READ, true, "stdin"));
        }
        OutputStream frames =
            new FrameSplitter(stdout == null ? stdoutTail.asStream() : stdout, stderr);
        pumps.add(
            StreamPump.start(socket.output(), frames, StreamPump.Blame.WRITE, false, "stdout"));
        awaitStreams(pumps.get(pumps.size() - 1), pumps, cancellation);
      } catch (InterruptedException | IOException | RuntimeException e) {
        stop(stderr.pid(), ctx, what);
        throw e;
      }
    }
    stderr.close();
    int exitCode = exitCode(execId, what, cancellation);
    String errors = stderrTail.text();
    if ((exitCode == 126 || exitCode == 127)
        && stderr.pid() == 0
        && (stdoutTail.text() + errors).contains("executable file not found")) {
      throw new StepFailedException(
          "container " + container + " has no sh, which via: 'docker' runs the tools under");
    }
    return new ToolResult(exitCode, stdoutTail.text(), errors);
  }

  /** Waits until the output ended, watching cancellation and the pumps' failures. */
  private static void awaitStreams(
      StreamPump output, List<StreamPump> pumps, Cancellation cancellation)
      throws IOException, InterruptedException {
    while (!output.done()) {
      output.await(POLL_MILLIS);
      cancellation.throwIfCancelled();
      for (StreamPump pump : pumps) {
        if (pump.failure() != null) {
          throw pump.failure();
        }
      }
    }
    if (output.failure() != null) {
      throw output.failure();
    }
  }

  /** The stream can end a moment before Docker records the exit code. */
  private int exitCode(String execId, String what, Cancellation cancellation)
      throws InterruptedException {
    for (int i = 0; i < 200; i++) {
      InspectExecResponse state =
          docker.call(what, () -> docker.client().inspectExecCmd(execId).exec());
      if (!Boolean.TRUE.equals(state.isRunning()) && state.getExitCodeLong() != null) {
        return state.getExitCodeLong().intValue();
      }
      cancellation.throwIfCancelled();
      Thread.sleep(POLL_MILLIS);
    }
    throw new StepFailedException(what + ": Docker reported no exit code");
  }

  /** Ends the tool in the container: TERM, then KILL if it is still there. */
  private void stop(long pid, StepContext ctx, String what) {
    if (pid <= 1) {
      return;
    }
    for (String signal : List.of("TERM", "KILL")) {
      try {
        ToolResult kill =
            quiet(List.of("kill", "-" + signal, String.valueOf(pid)), null, "kill", ctx);
        if (kill.exitCode() != 0) {
          break; // gone already
        }
        long until = System.currentTimeMillis() + STOP_GRACE_MILLIS;
        while (System.currentTimeMillis() < until) {
          if (quiet(List.of("kill", "-0", String.valueOf(pid)), null, "kill", ctx).exitCode()
              != 0) {
            ctx.log(what + ": stopped in the container");
            return;
          }
          Thread.sleep(100);
        }
      } catch (IOException | InterruptedException | RuntimeException e) {
        ctx.log(what + ": could not signal process " + pid + " in the container: " + e);
        return;
      }
    }
  }

  /** Runs a helper (kill, rm, the file writer) without the step's cancellation. */
  private ToolResult quiet(List<String> argv, byte[] stdin, String program, StepContext ctx)
      throws IOException, InterruptedException {
    return exec(
        argv,
        List.of(),
        stdin == null ? null : new ByteArrayInputStream(stdin),
        null,
        Cancellation.NEVER,
        ctx,
        program);
  }

  /** In the container's {@code /tmp}, mode 0600, owned by the user the tools run as. */
  @Override
  public PrivateFile privateFile(String name, String content, StepContext ctx) throws IOException {
    String path =
        "/tmp/lockstep-" + HexFormat.of().formatHex(seed()) + "-" + StepArgs.fileName(name);
    try {
      ToolResult written =
          quiet(
              List.of("sh", "-c", "umask 077 && cat > \"$1\"", "lockstep-file", path),
              content.getBytes(StandardCharsets.UTF_8),
              "sh",
              ctx);
      if (written.exitCode() != 0) {
        throw new StepFailedException(
            "cannot write a private file " + where() + ": " + written.lastStderrLine());
      }
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
          quiet(List.of("rm", "-f", "--", path), null, "rm", ctx);
        } catch (IOException | InterruptedException | RuntimeException e) {
          ctx.log("could not delete the credentials file " + path + " " + where() + ": " + e);
        }
      }
    };
  }

  private static byte[] seed() {
    byte[] bytes = new byte[8];
    RANDOM.nextBytes(bytes);
    return bytes;
  }

  @Override
  public void close() {
    docker.close();
  }

  /**
   * Splits Docker's multiplexed frames (an 8-byte header: stream 1 or 2, three zero bytes, the
   * big-endian length; then the payload) into stdout and stderr as the bytes arrive.
   */
  static final class FrameSplitter extends OutputStream {
    private final OutputStream stdout;
    private final OutputStream stderr;
    private final byte[] header = new byte[8];
    private int headerFill;
    private int remaining;
    private boolean toStderr;

    FrameSplitter(OutputStream stdout, OutputStream stderr) {
      this.stdout = stdout;
      this.stderr = stderr;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      int at = offset;
      int end = offset + length;
      while (at < end) {
        if (remaining == 0) {
          header[headerFill++] = bytes[at++];
          if (headerFill == 8) {
            headerFill = 0;
            toStderr = header[0] == 2;
            remaining = ByteBuffer.wrap(header, 4, 4).getInt();
          }
          continue;
        }
        int n = Math.min(remaining, end - at);
        (toStderr ? stderr : stdout).write(bytes, at, n);
        at += n;
        remaining -= n;
      }
    }
  }
}
