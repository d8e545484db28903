package io.lockstep.database;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;

/**
 * Write-behind for a file that is being streamed: each time another stride of bytes has been
 * written, a thread of its own asks the kernel to put what is written so far on the disk ({@code
 * fdatasync}), while the dump keeps streaming.
 *
 * <p>Why: the kernel starts writing dirty pages back on its own only at a share of the memory (10%
 * by default, gigabytes on a server), so without it a dump of a few hundred megabytes is still
 * entirely in the page cache when the dump tool exits, and the final fsync writes all of it while
 * the step waits: 0.15 s of 1.4 s for 312 MB on the benchmark's disk. With it, the disk works while
 * the tool and the server do, and the final fsync has about one stride left. A flush waits on the
 * disk and costs little CPU, so it does not compete with the dump on a small machine.
 *
 * <p>A flush changes no byte and holds none: it only moves the moment the data reaches the disk.
 * The final fsync still runs after the last write; {@link #finish()} reports a flush that failed,
 * since Linux reports a failed write-back to one fsync only, and a later one may then succeed.
 */
final class WriteBehind {

  /**
   * Large enough that a flush's fixed cost (a journal commit) is paid about 20 times for 300 MB,
   * small enough to leave little for the final fsync.
   */
  static final long STRIDE_BYTES = 16L * 1024 * 1024;

  private final FileChannel channel;
  private final long stride;
  private final Thread thread;
  private final Object lock = new Object();

  /** Written by the writer's thread only: the size at the last request. */
  private long requestedAt;

  private boolean requested;
  private boolean stopped;
  private int flushes;
  private volatile IOException failure;

  private WriteBehind(FileChannel channel, long stride) {
    this.channel = channel;
    this.stride = stride;
    this.thread = new Thread(this::loop, "lockstep-database-write-behind");
    thread.setDaemon(true);
  }

  static WriteBehind start(FileChannel channel, long stride) {
    WriteBehind writeBehind = new WriteBehind(channel, stride);
    writeBehind.thread.start();
    return writeBehind;
  }

  /**
   * Called by the writer after each write with the file's size: asks for a flush once another
   * stride has been written. Never blocks; a request made while a flush runs is served after it.
   *
   * @throws IOException a flush that failed, so the dump stops at the first disk error
   */
  void written(long size) throws IOException {
    IOException failed = failure;
    if (failed != null) {
      throw failed;
    }
    if (size - requestedAt >= stride) {
      requestedAt = size;
      synchronized (lock) {
        requested = true;
        lock.notifyAll();
      }
    }
  }

  /** Stops the thread after the flush under way, if any, and throws that flush's failure. */
  void finish() throws IOException, InterruptedException {
    stop();
    thread.join();
    IOException failed = failure;
    if (failed != null) {
      throw failed;
    }
  }

  /** Stops the thread without waiting: for a dump that is given up. */
  void stop() {
    synchronized (lock) {
      stopped = true;
      lock.notifyAll();
    }
  }

  /** How many flushes ran, for tests. */
  int flushes() {
    synchronized (lock) {
      return flushes;
    }
  }

  private void loop() {
    while (true) {
      synchronized (lock) {
        while (!requested && !stopped) {
          try {
            lock.wait();
          } catch (InterruptedException e) {
            return;
          }
        }
        if (stopped) {
          return;
        }
        requested = false;
      }
      try {
        channel.force(false);
      } catch (ClosedChannelException e) {
        return; // the dump was given up and its file closed: nothing left to flush
      } catch (IOException e) {
        failure = e;
        return;
      }
      synchronized (lock) {
        flushes++;
      }
    }
  }
}
