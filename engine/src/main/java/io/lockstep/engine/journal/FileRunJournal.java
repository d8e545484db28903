package io.lockstep.engine.journal;

import io.lockstep.engine.spi.JournalRecord;
import io.lockstep.engine.spi.RecordType;
import io.lockstep.engine.spi.RunJournal;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run's journal file, appended with group commit.
 *
 * <p>An append writes its line and then waits until a sync covers it. The first waiter becomes the
 * leader and syncs outside the lock; appends that arrive meanwhile write their lines and wait for
 * the next sync, which one of them leads and which covers them all. A lone appender therefore pays
 * one sync per record, and parallel branches share syncs instead of queueing behind each other.
 *
 * <p>Appends ignore thread interrupts: an interrupt would otherwise close the channel under every
 * other branch of the run. If one still lands during a write or sync and closes the channel, the
 * journal reopens the file, cuts it back to its last synced byte and rewrites the lines not yet
 * synced, which it holds in memory until they are.
 *
 * <p>{@link #append} returns the record decoded from the bytes it wrote, so the caller's view of a
 * value (a {@code Long 3}) is the one a resume will read ({@code Integer 3}), not a look-alike.
 *
 * <p>Nothing touches the file before the first append, so opening a run to read it (status,
 * history) never changes it, even while another process runs it.
 */
final class FileRunJournal implements RunJournal {

  private static final Logger LOG = LoggerFactory.getLogger(FileRunJournal.class);
  private static final int MAX_REOPENS = 20;

  private final String runId;
  private final Path runDir;
  private final Path file;
  private final Clock clock;
  private final AtomicLong syncCounter;

  private final ReentrantLock mutex = new ReentrantLock();
  private final Condition synced = mutex.newCondition();
  // All fields below are guarded by mutex.
  private final List<JournalRecord> durable;

  /** Lines written (or being written) but not yet covered by a sync, in seq order. */
  private final Deque<Pending> pending = new ArrayDeque<>();

  private long tornTailFrom;
  private FileChannel channel;
  private long syncedLength;
  private long lastSeq;
  private boolean syncing;

  /** Bumped whenever the channel is reopened: a sync of an older channel proves nothing. */
  private int generation;

  private IOException failure;
  private boolean closed;

  FileRunJournal(
      String runId, Path runDir, Path file, JournalScan scan, Clock clock, AtomicLong syncCounter) {
    this.runId = runId;
    this.runDir = runDir;
    this.file = file;
    this.clock = clock;
    this.syncCounter = syncCounter;
    this.durable = new ArrayList<>(scan.records());
    this.lastSeq = durable.size();
    this.syncedLength = scan.validLength();
    this.tornTailFrom = scan.hasTornTail() ? scan.validLength() : -1;
  }

  @Override
  public String runId() {
    return runId;
  }

  @Override
  public JournalRecord append(RecordType type, String stepId, Map<String, Object> data)
      throws IOException {
    mutex.lock();
    try {
      if (closed) {
        throw new IllegalStateException("the journal of run " + runId + " is closed");
      }
      throwIfFailed();
      ensureChannel();
      Instant at = clock.instant().truncatedTo(ChronoUnit.MILLIS);
      byte[] bytes = RecordCodec.encode(new JournalRecord(lastSeq + 1, at, type, stepId, data));
      // What the caller gets back is what any later read (a resume after a crash) will see.
      JournalRecord record = RecordCodec.readBack(bytes);
      Pending line = new Pending(record, bytes);
      lastSeq = record.seq();
      pending.addLast(line);
      try {
        writeFully(line.bytes);
      } catch (ClosedChannelException e) {
        reopenAndRewrite(e);
      } catch (IOException e) {
        fail(e);
      }
      awaitSynced(record.seq());
      return record;
    } finally {
      mutex.unlock();
    }
  }

  @Override
  public List<JournalRecord> records() {
    mutex.lock();
    try {
      return List.copyOf(durable);
    } finally {
      mutex.unlock();
    }
  }

  @Override
  public Path artifactsDir() throws IOException {
    return Files.createDirectories(runDir.resolve(FileJournalStore.ARTIFACTS));
  }

  @Override
  public void close() throws IOException {
    mutex.lock();
    try {
      while (syncing) {
        synced.awaitUninterruptibly();
      }
      closed = true;
      if (channel != null) {
        channel.close();
      }
    } finally {
      mutex.unlock();
    }
  }

  /** Opens the file for appending on first use, cutting off a torn tail left by a crash. */
  private void ensureChannel() throws IOException {
    if (channel != null) {
      return;
    }
    channel = uninterrupted(() -> FileChannel.open(file, StandardOpenOption.WRITE));
    if (tornTailFrom >= 0) {
      long size = channel.size();
      uninterrupted(() -> channel.truncate(tornTailFrom));
      LOG.warn(
          "{}: cut off torn last record ({} bytes) before appending", file, size - tornTailFrom);
      tornTailFrom = -1;
    }
    uninterrupted(() -> channel.position(syncedLength));
  }

  /**
   * Waits until a sync covers {@code seq}, leading one if none is running. Called and returns with
   * the mutex held.
   */
  private void awaitSynced(long seq) throws IOException {
    int reopens = 0;
    while (durable.size() < seq) {
      throwIfFailed();
      if (syncing) {
        synced.awaitUninterruptibly();
        continue;
      }
      syncing = true;
      long target = lastSeq;
      int syncGeneration = generation;
      FileChannel syncChannel = channel;
      IOException error = null;
      mutex.unlock();
      try {
        uninterruptedRun(() -> syncChannel.force(false));
      } catch (IOException e) {
        error = e;
      } finally {
        mutex.lock();
        syncing = false;
      }
      if (error == null) {
        syncCounter.incrementAndGet();
        if (generation == syncGeneration) {
          markSynced(target);
        }
      } else if (error instanceof ClosedChannelException closedError
          && !closed
          && reopens++ < MAX_REOPENS) {
        if (generation == syncGeneration) {
          reopenAndRewrite(closedError);
        }
      } else {
        fail(error);
      }
      synced.signalAll();
    }
  }

  private void markSynced(long target) {
    while (!pending.isEmpty() && pending.peekFirst().record.seq() <= target) {
      Pending line = pending.removeFirst();
      durable.add(line.record);
      syncedLength += line.bytes.length;
    }
  }

  /**
   * An interrupt closed the channel mid-write or mid-sync. Everything up to {@link #syncedLength}
   * is durable; the rest is exactly the pending lines, so the tail is rebuilt from them.
   */
  private void reopenAndRewrite(ClosedChannelException cause) throws IOException {
    if (closed) {
      throw new IllegalStateException("the journal of run " + runId + " is closed", cause);
    }
    LOG.warn("{}: channel closed by an interrupt; reopening and rewriting unsynced records", file);
    generation++;
    for (int attempt = 1; ; attempt++) {
      closeQuietly(channel);
      try {
        channel = uninterrupted(() -> FileChannel.open(file, StandardOpenOption.WRITE));
        uninterrupted(() -> channel.truncate(syncedLength));
        uninterrupted(() -> channel.position(syncedLength));
        for (Pending line : pending) {
          writeFully(line.bytes);
        }
        return;
      } catch (ClosedChannelException again) {
        if (attempt == MAX_REOPENS) {
          again.addSuppressed(cause);
          fail(again);
        }
      } catch (IOException e) {
        e.addSuppressed(cause);
        fail(e);
      }
    }
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException ignored) {
      // Already broken; the reopened channel takes over.
    }
  }

  private void writeFully(byte[] bytes) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    while (buffer.hasRemaining()) {
      uninterrupted(() -> channel.write(buffer));
    }
  }

  /**
   * After a failed write or sync the state of the file (and of the page cache) is unknown, so the
   * journal refuses further appends; reopening the run reads back what actually reached the disk.
   */
  private void fail(IOException e) throws IOException {
    if (failure == null) {
      failure = e;
      synced.signalAll();
    }
    throw e;
  }

  private void throwIfFailed() throws IOException {
    if (failure != null) {
      throw new IOException(
          "the journal of run " + runId + " failed to write earlier; reopen the run", failure);
    }
  }

  /** Runs one I/O call with the thread's interrupt flag cleared, then restores the flag. */
  private static <T> T uninterrupted(IoCall<T> call) throws IOException {
    boolean interrupted = Thread.interrupted();
    try {
      return call.run();
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static void uninterruptedRun(IoRun run) throws IOException {
    uninterrupted(
        () -> {
          run.run();
          return null;
        });
  }

  @FunctionalInterface
  private interface IoCall<T> {
    T run() throws IOException;
  }

  @FunctionalInterface
  private interface IoRun {
    void run() throws IOException;
  }

  private record Pending(JournalRecord record, byte[] bytes) {}
}
