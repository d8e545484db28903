package io.lockstep.steps;

import io.lockstep.engine.model.StepContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Runs one local process to completion for a step: the {@code command} step, and connectors that
 * drive a CLI (such as {@code docker-compose}). Output lines travel through a bounded queue to the
 * action's own thread, which writes them to the run log; a process that writes faster than the log
 * takes is slowed down rather than buffered. Cancellation and interruption destroy the whole
 * process tree.
 *
 * <pre>{@code
 * ProcessRunner.Result result =
 *     new ProcessRunner("command [pg_dump, ...]", ctx).run(argv, dir, Map.of(), 65536);
 * }</pre>
 */
public final class ProcessRunner {

  /** How long output is still read after the process exited (a background child may hold it). */
  private static final long OUTPUT_GRACE_MILLIS = 2_000;

  private static final String END = new String("end of stream");

  /**
   * How a process ended.
   *
   * @param exitCode its exit code
   * @param stdout the last {@code captureBytes} of its stdout, trimmed
   * @param stderr the last {@code captureBytes} of its stderr, trimmed
   * @param lastStderrLine its last stderr line that was not blank, or empty
   */
  public record Result(int exitCode, String stdout, String stderr, String lastStderrLine) {}

  private final String what;
  private final StepContext ctx;
  private final BlockingQueue<String> lines = new ArrayBlockingQueue<>(1024);
  private Predicate<String> shown = line -> true;
  private volatile boolean abandoned;

  /**
   * @param what the process as messages name it, such as {@code command [true]}
   * @param ctx the step's context: its log, its cancellation
   */
  public ProcessRunner(String what, StepContext ctx) {
    this.what = what;
    this.ctx = ctx;
  }

  /**
   * Only lines that pass go to the run log; the others (progress ticks of a download) still count
   * in the captured output. Every line is shown unless this is called.
   */
  public ProcessRunner logOnly(Predicate<String> filter) {
    this.shown = filter;
    return this;
  }

  /**
   * Runs {@code argv} (no shell) in {@code dir} with the engine's environment plus {@code env}, and
   * waits for it to exit.
   *
   * @throws StepFailedException when the directory is missing or the program cannot be started
   * @throws java.util.concurrent.CancellationException when the step is cancelled (the process tree
   *     is destroyed first)
   * @throws InterruptedException when the action's thread is interrupted (likewise)
   */
  public Result run(List<String> argv, Path dir, Map<String, String> env, int captureBytes)
      throws InterruptedException {
    if (!Files.isDirectory(dir)) {
      throw new StepFailedException(what + ": working directory " + dir + " does not exist");
    }
    ProcessBuilder builder = new ProcessBuilder(argv).directory(dir.toFile());
    Processes.childEnvironment(builder.environment(), env);
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new StepFailedException(Processes.startFailure(argv.get(0), e), e);
    }
    try {
      process.getOutputStream().close();
    } catch (IOException e) {
      // stdin already gone: the process does not read it
    }

    OutputTail stdout = new OutputTail(captureBytes);
    OutputTail stderr = new OutputTail(captureBytes);
    String[] lastStderr = {""};
    List<Thread> pumps = new ArrayList<>();
    pumps.add(pump(process.getInputStream(), stdout, this::enqueue, "stdout"));
    pumps.add(
        pump(
            process.getErrorStream(),
            stderr,
            line -> {
              if (!line.isBlank()) {
                synchronized (lastStderr) {
                  lastStderr[0] = line;
                }
              }
              enqueue(line);
            },
            "stderr"));

    try {
      awaitExit(process, pumps.size());
    } catch (InterruptedException | CancellationException e) {
      Processes.destroyTree(process);
      throw e;
    } finally {
      abandoned = true;
      lines.clear();
    }
    synchronized (lastStderr) {
      return new Result(
          process.exitValue(), stdout.text().strip(), stderr.text().strip(), lastStderr[0]);
    }
  }

  private void awaitExit(Process process, int streams) throws InterruptedException {
    int open = streams;
    long exitedAt = 0;
    while (true) {
      String line = lines.poll(50, TimeUnit.MILLISECONDS);
      if (line == END) {
        open--;
      } else if (line != null && shown.test(line)) {
        ctx.log(line);
      }
      if (ctx.cancellation().isCancelled()) {
        throw new CancellationException(ctx.cancellation().reason());
      }
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
      if (!process.isAlive()) {
        if (open == 0 && lines.isEmpty()) {
          return;
        }
        long now = System.nanoTime();
        if (exitedAt == 0) {
          exitedAt = now;
        } else if (now - exitedAt > OUTPUT_GRACE_MILLIS * 1_000_000) {
          ctx.log("(output after the command exited is not shown: a background process holds it)");
          return;
        }
      }
    }
  }

  /** Hands a line to the action's thread, waiting while the queue is full. */
  private void enqueue(String line) {
    try {
      while (!abandoned && !lines.offer(line, 100, TimeUnit.MILLISECONDS)) {
        // the log is slower than the process: wait for room
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private Thread pump(InputStream in, OutputTail tail, Consumer<String> sink, String name) {
    return OutputPump.start(in, tail, sink, () -> enqueue(END), "lockstep-process-" + name);
  }
}
