package io.lockstep.steps;

import io.lockstep.steps.logs.LineSplitter;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.Consumer;

/**
 * Reads one output stream of a running program (a local process, a command over SSH) on a thread of
 * its own: every byte into an {@link OutputTail} for the step's outputs, every line to a sink for
 * the run log. Shared so that local and remote commands keep and show their output alike.
 */
public final class OutputPump {

  private OutputPump() {}

  /**
   * Starts the daemon thread {@code threadName}; it calls {@code atEnd} once the stream has ended
   * (or was closed because the program or its connection is gone) and its last line was given out.
   */
  public static Thread start(
      InputStream in, OutputTail tail, Consumer<String> lines, Runnable atEnd, String threadName) {
    Thread thread =
        new Thread(
            () -> {
              LineSplitter splitter = new LineSplitter(lines);
              byte[] buffer = new byte[8192];
              try (in) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                  tail.write(buffer, 0, n);
                  splitter.feed(buffer, 0, n);
                }
              } catch (IOException e) {
                // closed under us: the program or its connection is gone
              }
              splitter.finish();
              atEnd.run();
            },
            threadName);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }
}
