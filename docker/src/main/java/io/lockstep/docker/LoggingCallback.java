package io.lockstep.docker;

import com.github.dockerjava.api.async.ResultCallback;
import io.lockstep.engine.model.StepContext;
import java.io.IOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;

/**
 * A docker-java callback whose lines reach the run log from the action's own thread: docker-java
 * delivers items on its thread, {@link #emit} hands lines over through a bounded queue (a stream
 * faster than the log is slowed down, not buffered), and {@link #await} writes them while it waits
 * for the stream to end, watching the step's cancellation.
 */
abstract class LoggingCallback<T> extends ResultCallback.Adapter<T> {

  private final BlockingQueue<String> lines = new ArrayBlockingQueue<>(1024);
  private volatile boolean abandoned;
  private volatile Throwable failure;

  @Override
  public final void onNext(T item) {
    handle(item);
  }

  /**
   * Keeps the stream's failure for {@link #await} to throw, instead of docker-java's default of
   * logging it with a stack trace: the step reports it in the operator's words.
   */
  @Override
  public final void onError(Throwable throwable) {
    failure = throwable;
    onComplete();
  }

  /** Called on docker-java's thread for each item of the stream. */
  protected abstract void handle(T item);

  /** Queues a line for the run log, waiting while the queue is full. */
  protected final void emit(String line) {
    try {
      while (!abandoned && !lines.offer(line, 100, TimeUnit.MILLISECONDS)) {
        // the run log is slower than the stream: wait for room
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Logs the lines until the stream ends, then rethrows the stream's error, if any.
   *
   * @throws CancellationException when the step is cancelled; the stream is closed
   */
  final void await(StepContext ctx) throws InterruptedException {
    try {
      while (true) {
        String line = lines.poll(50, TimeUnit.MILLISECONDS);
        if (line != null) {
          ctx.log(line);
          continue;
        }
        if (ctx.cancellation().isCancelled()) {
          throw new CancellationException(ctx.cancellation().reason());
        }
        if (awaitCompletion(0, TimeUnit.MILLISECONDS) && lines.isEmpty()) {
          if (failure instanceof RuntimeException e) {
            throw e;
          }
          if (failure != null) {
            throw new IllegalStateException(failure.getMessage(), failure);
          }
          return;
        }
      }
    } catch (InterruptedException | RuntimeException e) {
      abandoned = true;
      closeQuietly();
      throw e;
    }
  }

  final void closeQuietly() {
    try {
      close();
    } catch (IOException e) {
      // the stream is going away anyway
    }
  }
}
