package io.lockstep.database;

import io.lockstep.engine.model.StepContext;
import io.lockstep.steps.OutputTail;
import io.lockstep.steps.Processes;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code via: 'local'}: runs tools as processes on the machine running Lockstep, without a shell.
 * They inherit the engine's environment minus the default secret resolver's variables, like {@code
 * command}; a cancelled or timed-out step ends the tool's whole process tree.
 */
final class LocalTransport implements Transport {

  static final String NAME = "local";
  static final LocalTransport INSTANCE = new LocalTransport();

  /** How much of stderr (and of stdout without a sink) a result keeps. */
  private static final int TAIL_BYTES = 64 * 1024;

  /** How often the waiting thread looks at cancellation and at the pumps. */
  private static final long POLL_MILLIS = 50;

  private LocalTransport() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String where() {
    return "on this machine";
  }

  @Override
  public ToolResult run(ToolCall call, StepContext ctx) throws IOException, InterruptedException {
    String program = program(call.program(), ctx);
    List<String> argv = new ArrayList<>();
    argv.add(program);
    argv.addAll(call.args());
    ProcessBuilder builder = new ProcessBuilder(argv).directory(ctx.artifactsDir().toFile());
    Processes.childEnvironment(builder.environment(), call.env());
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      if (Processes.notFound(e)) {
        throw new ToolNotFoundException(call.program(), program.contains("/") ? "" : "on PATH");
      }
      throw new IOException(Processes.startFailure(program, e), e);
    }

    OutputTail stdoutTail = new OutputTail(call.stdout() == null ? TAIL_BYTES : 0);
    OutputTail stderrTail = new OutputTail(TAIL_BYTES);
    List<StreamPump> pumps = new ArrayList<>();
    try {
      if (call.stdin() == null) {
        process.getOutputStream().close();
      } else {
        // Blame reads only: a tool that exits early closes its stdin, and its exit code says why.
        pumps.add(
            StreamPump.start(
                call.stdin(), process.getOutputStream(), StreamPump.Blame.READ, true, "stdin"));
      }
      OutputStream stdout = call.stdout() == null ? stdoutTail.asStream() : call.stdout();
      pumps.add(
          StreamPump.start(
              process.getInputStream(), stdout, StreamPump.Blame.WRITE, false, "stdout"));
      pumps.add(
          StreamPump.start(
              process.getErrorStream(),
              stderrTail.asStream(),
              StreamPump.Blame.WRITE,
              false,
              "stderr"));
      awaitExit(process, pumps, ctx);
    } catch (InterruptedException | IOException | RuntimeException e) {
      Processes.destroyTree(process);
      throw e;
    }
    return new ToolResult(process.exitValue(), stdoutTail.text(), stderrTail.text());
  }

  /**
   * Waits for the tool to exit and for its output to be drained, which may come later: the last
   * pipe buffer is still on its way into the artifact when the process is already gone.
   */
  private static void awaitExit(Process process, List<StreamPump> pumps, StepContext ctx)
      throws IOException, InterruptedException {
    while (true) {
      boolean exited = process.waitFor(POLL_MILLIS, TimeUnit.MILLISECONDS);
      ctx.cancellation().throwIfCancelled();
      for (StreamPump pump : pumps) {
        if (pump.failure() != null) {
          throw pump.failure();
        }
      }
      if (exited) {
        StreamPump busy = pumps.stream().filter(p -> !p.done()).findFirst().orElse(null);
        if (busy == null) {
          return;
        }
        busy.await(POLL_MILLIS);
      }
    }
  }

  /** A relative path with a directory part is the playbook's; a bare name is looked up on PATH. */
  private static String program(String program, StepContext ctx) {
    if (!program.contains("/") || Path.of(program).isAbsolute()) {
      return program;
    }
    return ctx.baseDir().resolve(program).toAbsolutePath().normalize().toString();
  }

  /**
   * In {@code <artifacts>/.private/}, a directory only the engine's user may enter. The name is
   * fixed per step, so a file left by a process that was killed before it could delete it is
   * overwritten, then deleted, by the step's next attempt.
   */
  @Override
  public PrivateFile privateFile(String name, String content, StepContext ctx) throws IOException {
    Path dir = ctx.artifactsDir().resolve(".private");
    if (!Files.isDirectory(dir)) {
      try {
        Files.createDirectories(
            dir,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      } catch (UnsupportedOperationException e) {
        Files.createDirectories(dir);
      }
    }
    Path file = dir.resolve(name);
    Files.deleteIfExists(file);
    try {
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(file);
    }
    Files.writeString(file, content);
    return new PrivateFile() {
      @Override
      public String path() {
        return file.toString();
      }

      @Override
      public void close() {
        try {
          Files.deleteIfExists(file);
        } catch (IOException e) {
          ctx.log("could not delete the credentials file " + file + ": " + e.getMessage());
        }
      }
    };
  }
}
