package io.lockstep.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import io.lockstep.engine.model.StepContext;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Relays a stream of the daemon's JSON progress messages (a pull, a push) to the run log: a reader
 * thread parses the stream and hands lines over through a bounded queue (a stream faster than the
 * log is slowed down, not buffered), while the action's thread writes them and watches the step's
 * cancellation, closing the stream to stop a read that would otherwise block.
 *
 * <p>The daemon's own stream is read directly rather than through docker-java's asynchronous
 * callbacks, whose streaming thread was seen to find the response already closed before its first
 * read.
 */
final class ProgressRelay {

  private final BlockingQueue<String> lines = new ArrayBlockingQueue<>(1024);
  private volatile boolean abandoned;
  private volatile Exception failure;
  private volatile boolean finished;

  /** Queues a line for the run log, waiting while the queue is full. */
  void emit(String line) {
    try {
      while (!abandoned && !lines.offer(line, 100, TimeUnit.MILLISECONDS)) {
        // the run log is slower than the stream: wait for room
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Reads {@code in} to its end, giving each message to {@code handler} on a reader thread, and
   * logs the lines it emits until then.
   *
   * @throws IOException when the stream broke
   * @throws CancellationException when the step is cancelled; the stream is closed
   */
  void relay(StepContext ctx, InputStream in, Consumer<JsonNode> handler)
      throws InterruptedException, IOException {
    Thread reader =
        new Thread(
            () -> {
              try (MappingIterator<JsonNode> messages =
                  Docker.JSON.readerFor(JsonNode.class).readValues(in)) {
                while (!abandoned && messages.hasNextValue()) {
                  handler.accept(messages.nextValue());
                }
              } catch (IOException | RuntimeException e) {
                failure = e;
              } finally {
                finished = true;
              }
            },
            "lockstep-docker-progress");
    reader.setDaemon(true);
    reader.start();
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
        if (finished && lines.isEmpty()) {
          break;
        }
      }
    } finally {
      abandoned = !finished;
      in.close(); // ends a read in progress; the reader sees the end and exits
      reader.join(2_000);
    }
    if (failure instanceof IOException e) {
      throw e;
    }
    if (failure instanceof RuntimeException e) {
      throw e;
    }
  }
}
