package io.lockstep.database;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Copies one stream into another on its own thread through a fixed buffer, so a dump of any size
 * moves with flat memory. Which side's failure matters depends on the direction: for a tool's
 * stdout, a failed write (disk full) is the step's problem and a failed read only means the tool is
 * gone; for its stdin, the other way round. Public for the transports of other modules.
 */
public final class StreamPump {

  /** Big enough that a pipe's 64 KiB chunks move in one read. */
  public static final int BUFFER_BYTES = 64 * 1024;

  /** The side of the copy whose failure is reported. */
  public enum Blame {
    READ,
    WRITE
  }

  private final Thread thread;
  private volatile IOException failure;

  private StreamPump(InputStream in, OutputStream out, Blame blame, boolean closeOut, String name) {
    this.thread = new Thread(() -> copy(in, out, blame, closeOut), "lockstep-database-" + name);
    thread.setDaemon(true);
  }

  /** Starts copying {@code in} to {@code out}; {@code out} is closed at the end if asked. */
  public static StreamPump start(
      InputStream in, OutputStream out, Blame blame, boolean closeOut, String name) {
    StreamPump pump = new StreamPump(in, out, blame, closeOut, name);
    pump.thread.start();
    return pump;
  }

  private void copy(InputStream in, OutputStream out, Blame blame, boolean closeOut) {
    byte[] buffer = new byte[BUFFER_BYTES];
    try {
      while (true) {
        int n;
        try {
          n = in.read(buffer);
        } catch (IOException e) {
          if (blame == Blame.READ) {
            failure = e;
          }
          return;
        }
        if (n < 0) {
          return;
        }
        try {
          out.write(buffer, 0, n);
        } catch (IOException e) {
          if (blame == Blame.WRITE) {
            failure = e;
          }
          return;
        }
      }
    } finally {
      close(in);
      if (closeOut) {
        close(out);
      }
    }
  }

  private static void close(AutoCloseable stream) {
    try {
      stream.close();
    } catch (Exception e) {
      // the other end is gone already: nothing left to release
    }
  }

  /** The failure on the blamed side, or {@code null}. */
  public IOException failure() {
    return failure;
  }

  public boolean done() {
    return !thread.isAlive();
  }

  /** Waits up to {@code millis} for the copy to end. */
  public void await(long millis) throws InterruptedException {
    thread.join(millis);
  }
}
