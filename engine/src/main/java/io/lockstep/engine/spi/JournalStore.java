package io.lockstep.engine.spi;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Where runs are kept. The default is a directory of JSON Lines files ({@code FileJournalStore});
 * an embedder may supply another (for example a relational store shared by a team).
 */
public interface JournalStore {

  /** Creates a new run whose first record is {@code RUN_STARTED} with the header's data. */
  RunJournal create(RunHeader header) throws IOException;

  /**
   * Opens an existing run to read and append.
   *
   * @throws UnknownRunException when there is no such run
   * @throws JournalCorruptedException when a record other than the last is damaged
   */
  RunJournal open(String runId) throws IOException;

  /** Headers of all runs, newest first. */
  List<RunHeader> runs() throws IOException;

  /**
   * Takes the lock for {@code key} on behalf of {@code runId}. Taking a lock the same run already
   * holds succeeds (a resumed run keeps its lock across process crashes).
   *
   * @throws LockHeldException naming the run that holds it
   */
  void lock(String key, LockHolder holder) throws IOException;

  /** Releases the lock if {@code runId} holds it. */
  void unlock(String key, String runId) throws IOException;

  /** Who holds the lock for {@code key}, if anyone. */
  Optional<LockHolder> lockHolder(String key) throws IOException;
}
