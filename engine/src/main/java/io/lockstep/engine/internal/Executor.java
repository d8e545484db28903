package io.lockstep.engine.internal;

import io.lockstep.engine.ResumeOptions;
import io.lockstep.engine.RunListener;
import io.lockstep.engine.RunOptions;
import io.lockstep.engine.RunResult;
import io.lockstep.engine.model.Playbook;
import io.lockstep.engine.spi.JournalStore;
import io.lockstep.engine.spi.SecretResolver;
import java.util.List;

/** Runs playbooks against a journal. (Being written.) */
public final class Executor {

  public Executor(
      JournalStore store, SecretResolver secrets, List<RunListener> listeners, String user) {}

  public RunResult start(Playbook playbook, RunOptions options) {
    throw new UnsupportedOperationException("not yet");
  }

  public RunResult resume(String runId, Playbook playbook, ResumeOptions options) {
    throw new UnsupportedOperationException("not yet");
  }

  public RunResult rollback(String runId, Playbook playbook) {
    throw new UnsupportedOperationException("not yet");
  }

  public void approve(String runId, String gateId, String by, String comment) {
    throw new UnsupportedOperationException("not yet");
  }
}
