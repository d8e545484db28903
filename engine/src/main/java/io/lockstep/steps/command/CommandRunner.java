package io.lockstep.steps.command;

import io.lockstep.engine.model.StepContext;
import io.lockstep.steps.OutputTail;
import io.lockstep.steps.Processes;
import io.lockstep.steps.StepFailedException;
import io.lockstep.steps.logs.LineSplitter;
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

/**
 * Runs one process to completion. Output lines travel through a bounded queue to the action's own
 * thread, which writes them to the run log; a process that writes faster than the log takes is
 * slowed down rather than buffered. Cancellation and interruption destroy the whole process tree.
 */
final class CommandRunner {

  /** How long output is still read after the process exited (a background child may hold it). */
  private static final long OUTPUT_GRACE_MILLIS = 2_000;

  private static final String END = new String("end of stream");

  record Result(int exitCode, String stdout, String stderr, String lastStderrLine) {}

  private final String display;
  private final StepContext ctx;
  private final BlockingQueue<String> lines = new ArrayBlockingQueue<>(1024);
  private volatile boolean abandoned;

  CommandRunner(String display, StepContext ctx) {
    this.display = display;
    this.ctx = ctx;
  }

  Result run(List<String> argv, Path dir, Map<String, String> env, int captureBytes)
      throws InterruptedException {
    if (!Files.isDirectory(dir)) {
      throw new StepFailedException(
          "command " + display + ": working directory " + dir + " does not exist");
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
      } else if (line != null) {
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
    Thread thread =
        new Thread(
            () -> {
              LineSplitter splitter = new LineSplitter(sink);
              byte[] buffer = new byte[8192];
              try (in) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                  tail.write(buffer, 0, n);
                  splitter.feed(buffer, 0, n);
                }
              } catch (IOException e) {
                // stream closed: the process is gone
              }
              splitter.finish();
              enqueue(END);
            },
            "lockstep-command-" + name);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }
}
