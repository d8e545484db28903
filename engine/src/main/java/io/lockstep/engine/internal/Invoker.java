package io.lockstep.engine.internal;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs actions on worker threads so that a timeout can always be enforced: on expiry the action is
 * told (cancellation token), interrupted, given a short grace period, and then abandoned. An action
 * that ignores all three cannot hang the engine; its daemon thread is left behind and named in the
 * error.
 */
final class Invoker {

  static final Duration GRACE = Duration.ofSeconds(2);

  private static final AtomicInteger THREADS = new AtomicInteger();

  private final ExecutorService workers =
      Executors.newCachedThreadPool(
          runnable -> {
            Thread thread = new Thread(runnable, "lockstep-step-" + THREADS.incrementAndGet());
            thread.setDaemon(true);
            return thread;
          });

  /** Thrown when an action exceeded its time; carries the limit for the message. */
  static final class StepTimeoutException extends Exception {
    StepTimeoutException(String message) {
      super(message);
    }
  }

  <T> T invoke(Callable<T> work, Duration timeout, CancellationToken token) throws Exception {
    if (timeout == null) {
      // Nothing to enforce: run on the caller's thread and save a thread hand-off per step.
      return work.call();
    }
    Future<T> future = workers.submit(work);
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      String why = "timed out after " + Durations.format(timeout);
      token.cancel(why);
      future.cancel(true);
      awaitQuietly(future);
      throw new StepTimeoutException(why);
    } catch (InterruptedException e) {
      token.cancel("interrupted");
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw e;
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof Exception exception) {
        throw exception;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw e;
    }
  }

  private static void awaitQuietly(Future<?> future) {
    try {
      future.get(GRACE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception ignored) {
      // Cancelled, failed, or still running: in every case the engine moves on.
    }
  }

  void shutdown() {
    workers.shutdownNow();
  }
}
