package io.lockstep.docker;

import io.lockstep.engine.model.StepContext;
import io.lockstep.steps.StepFailedException;
import io.lockstep.steps.logs.LineSplitter;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Streams a container's log lines (stdout and stderr, each split into lines on its own) to a
 * consumer, with Docker's RFC 3339 timestamp in front of each line. Nothing is kept but the line
 * being assembled, so a log of any size is read in flat memory.
 */
final class ContainerLogs {

  /** How long a followed log is still read after the check was decided. */
  static final long SETTLE_MILLIS = 500;

  private ContainerLogs() {}

  /**
   * Reads the log written since {@code since} (whole seconds, rounded down; {@code null} for all)
   * and, when {@code followMillis > 0}, what is written while following, until the time is up or
   * {@code done} says so. A reader thread feeds {@code sink} while holding the lock on {@code
   * sink}; {@code done} is asked under the same lock.
   */
  static void read(
      StepContext ctx,
      Docker docker,
      String containerId,
      boolean tty,
      Instant since,
      long followMillis,
      BooleanSupplier done,
      Consumer<String> sink)
      throws InterruptedException {
    LineSplitter stdout = new LineSplitter(sink);
    LineSplitter stderr = new LineSplitter(sink);
    InputStream in =
        docker.logs(containerId, since == null ? null : since.getEpochSecond(), followMillis > 0);
    IOException[] failure = {null};
    Thread reader =
        new Thread(
            () -> {
              try (in) {
                Frames.read(
                    in,
                    tty,
                    (err, chunk) -> {
                      synchronized (sink) {
                        (err ? stderr : stdout).feed(chunk, 0, chunk.length);
                      }
                    });
              } catch (IOException e) {
                failure[0] = e;
              }
            },
            "lockstep-docker-logs");
    reader.setDaemon(true);
    reader.start();
    long deadline = System.nanoTime() + followMillis * 1_000_000;
    long decidedAt = 0;
    boolean stopped = false;
    try {
      while (reader.isAlive()) {
        if (ctx.cancellation().isCancelled()) {
          throw new CancellationException(ctx.cancellation().reason());
        }
        boolean decided;
        synchronized (sink) {
          decided = done.getAsBoolean();
        }
        long now = System.nanoTime();
        if (decided && decidedAt == 0) {
          decidedAt = now;
        }
        // Once decided, read on a moment: the lines right after an error usually say why (the
        // portal's GORM error comes a few milliseconds before "failed to migrate database").
        if (decidedAt != 0 && now - decidedAt >= SETTLE_MILLIS * 1_000_000
            || followMillis > 0 && now - deadline >= 0) {
          stopped = true;
          break;
        }
        reader.join(50);
      }
    } finally {
      try {
        in.close(); // ends a followed stream; the reader thread sees the end and exits
      } catch (IOException e) {
        // already closed
      }
      reader.join(2_000);
    }
    synchronized (sink) {
      stdout.finish();
      stderr.finish();
    }
    if (failure[0] != null && !stopped) {
      throw new StepFailedException(
          "reading the log of container "
              + Docker.shortId(containerId)
              + " failed: "
              + Docker.rootMessage(failure[0]));
    }
  }

  /** The last {@code count} lines of the log, for failure messages. */
  static List<String> tail(
      StepContext ctx, Docker docker, String containerId, boolean tty, int count)
      throws InterruptedException {
    Deque<String> last = new ArrayDeque<>();
    read(
        ctx,
        docker,
        containerId,
        tty,
        null,
        0,
        () -> false,
        line -> {
          if (last.size() == count) {
            last.removeFirst();
          }
          last.addLast(line);
        });
    return List.copyOf(last);
  }
}
