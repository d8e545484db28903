package io.lockstep.engine.journal;

import io.lockstep.engine.spi.JournalStore;
import io.lockstep.engine.spi.LockHolder;
import io.lockstep.engine.spi.RunHeader;
import io.lockstep.engine.spi.RunJournal;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The embedded journal store: a directory per run. (Being written.) */
public final class FileJournalStore implements JournalStore {

  private final Path root;

  public FileJournalStore(Path root) {
    this.root = root;
  }

  public Path root() {
    return root;
  }

  @Override
  public RunJournal create(RunHeader header) throws IOException {
    throw new UnsupportedOperationException("not yet");
  }

  @Override
  public RunJournal open(String runId) throws IOException {
    throw new UnsupportedOperationException("not yet");
  }

  @Override
  public List<RunHeader> runs() throws IOException {
    throw new UnsupportedOperationException("not yet");
  }

  @Override
  public void lock(String key, LockHolder holder) throws IOException {
    throw new UnsupportedOperationException("not yet");
  }

  @Override
  public void unlock(String key, String runId) throws IOException {
    throw new UnsupportedOperationException("not yet");
  }

  @Override
  public Optional<LockHolder> lockHolder(String key) throws IOException {
    throw new UnsupportedOperationException("not yet");
  }
}
