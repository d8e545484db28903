package io.lockstep.engine.spi;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The append-only journal of one run. {@link #append} returns only once the record is durable: a
 * record that was acknowledged survives a crash of the process and of the machine. Appends from
 * several threads (parallel branches) are allowed and may share one sync (group commit).
 */
public interface RunJournal extends Closeable {

  String runId();

  /** Makes a record durable and returns it with its sequence number and time. */
  JournalRecord append(RecordType type, String stepId, Map<String, Object> data) throws IOException;

  /** Every durable record so far, in order. */
  List<JournalRecord> records() throws IOException;

  /** This run's artifact directory (backups, dumps, reports); created on demand. */
  Path artifactsDir() throws IOException;

  @Override
  void close() throws IOException;
}
