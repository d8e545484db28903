package io.lockstep.kubernetes;

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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CancellationException;

/**
 * {@code via: 'kubernetes'}: runs a database's tools in a pod's container over the exec stream
 * ({@link PodExec}), as {@code kubectl exec} would. The dump streams out of the exec's stdout.
 *
 * <p>An exec has no environment of its own, so, as over SSH, the call's environment (the password)
 * goes into a private file in the pod's {@code /tmp} (mode 0600) that {@link ToolScript} sources
 * and deletes; no argument vector holds it. The exec stream cannot close a tool's stdin alone (see
 * {@link PodExec}), so a restore's input is first copied to a temporary file on this machine to
 * learn its size, sent into a private file in the pod with {@code head -c SIZE}, and the tool reads
 * it from there: the pod needs room in {@code /tmp} for the dump. Each tool runs under {@link
 * ToolScript}, so a cancelled step ends it by its process id.
 */
final class KubernetesTransport implements Transport {

  private static final int TAIL_BYTES = 64 * 1024;
  private static final SecureRandom RANDOM = new SecureRandom();

  /** Reads its stdin from the file {@code $1}, deletes it, then becomes the rest of its argv. */
  private static final String FROM_FILE =
      "exec < \"$1\" && rm -f -- \"$1\" && shift && exec \"$@\"";

  private final PodExec exec;

  KubernetesTransport(PodExec exec) {
    this.exec = exec;
  }

  @Override
  public String name() {
    return KubernetesTransportProvider.NAME;
  }

  @Override
  public String where() {
    return exec.where();
  }

  @Override
  public ToolResult run(ToolCall call, StepContext ctx) throws IOException, InterruptedException {
    PrivateFile env =
        call.env().isEmpty() ? null : privateFile("env", ToolScript.envFile(call.env()), ctx);
    PrivateFile input = call.stdin() == null ? null : upload(call.stdin(), ctx);
    try {
      List<String> argv = new ArrayList<>();
      if (input != null) {
        argv.addAll(List.of("sh", "-c", FROM_FILE, "lockstep-stdin", input.path()));
      }
      argv.addAll(ToolScript.argv(call, env == null ? "" : env.path()));
      OutputTail stdoutTail = new OutputTail(call.stdout() == null ? TAIL_BYTES : 0);
      OutputTail stderrTail = new OutputTail(TAIL_BYTES);
      ToolScript.Stderr stderr = new ToolScript.Stderr(stderrTail.asStream());
      OutputStream stdout = call.stdout() == null ? stdoutTail.asStream() : call.stdout();
      int exitCode;
      try {
        exitCode = exec.run(argv, null, stdout, stderr, ctx.cancellation());
      } catch (CancellationException | InterruptedException e) {
        stop(stderr.pid(), ctx);
        throw e;
      }
      stderr.close();
      ToolResult result = new ToolResult(exitCode, stdoutTail.text(), stderrTail.text());
      if (ToolScript.notFound(result.exitCode(), result.stderr())) {
        throw new ToolNotFoundException(
            call.program(), (call.program().contains("/") ? "" : "on PATH ") + where());
      }
      return result;
    } finally {
      if (input != null) {
        input.close(); // the tool deleted it already unless it never started
      }
      if (env != null) {
        env.close();
      }
    }
  }

  /** In the pod's {@code /tmp}, mode 0600, owned by the user the tools run as. */
  @Override
  public PrivateFile privateFile(String name, String content, StepContext ctx) throws IOException {
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    return write(name, new ByteArrayInputStream(bytes), bytes.length, ctx);
  }

  /** Copies a restore's input here to learn its size, then into a private file in the pod. */
  private PrivateFile upload(InputStream stdin, StepContext ctx) throws IOException {
    Path local = Files.createTempFile("lockstep-restore-", ".input");
    try {
      Files.copy(stdin, local, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      try (InputStream in = Files.newInputStream(local)) {
        return write("stdin", in, Files.size(local), ctx);
      }
    } finally {
      Files.deleteIfExists(local);
    }
  }

  private PrivateFile write(String name, InputStream content, long size, StepContext ctx)
      throws IOException {
    String path =
        "/tmp/lockstep-" + HexFormat.of().formatHex(seed()) + "-" + StepArgs.fileName(name);
    OutputTail errors = new OutputTail(TAIL_BYTES);
    int exitCode;
    try {
      exitCode =
          exec.run(
              List.of(
                  "sh",
                  "-c",
                  "umask 077 && head -c \"$1\" > \"$2\"",
                  "lockstep-file",
                  String.valueOf(size),
                  path),
              content,
              OutputStream.nullOutputStream(),
              errors.asStream(),
              Cancellation.NEVER);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while writing a private file " + where(), e);
    }
    if (exitCode != 0) {
      throw new StepFailedException(
          "cannot write a private file " + where() + ": " + errors.text().strip());
    }
    return new PrivateFile() {
      @Override
      public String path() {
        return path;
      }

      @Override
      public void close() {
        quietly(List.of("rm", "-f", "--", path), ctx);
      }
    };
  }

  /** Ends a cancelled tool in the pod: TERM; the exec stream is closed already. */
  private void stop(long pid, StepContext ctx) {
    if (pid > 1) {
      quietly(List.of("kill", "-TERM", String.valueOf(pid)), ctx);
      ctx.log("sent TERM to the tool (process " + pid + ") " + where());
    }
  }

  private void quietly(List<String> argv, StepContext ctx) {
    try {
      exec.run(
          argv,
          null,
          OutputStream.nullOutputStream(),
          OutputStream.nullOutputStream(),
          Cancellation.NEVER);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      ctx.log("could not run " + argv.get(0) + " " + where() + ": " + e.getMessage());
    }
  }

  private static byte[] seed() {
    byte[] seed = new byte[8];
    RANDOM.nextBytes(seed);
    return seed;
  }
}
