package io.lockstep.engine;

import io.lockstep.engine.internal.Executor;
import io.lockstep.engine.journal.FileJournalStore;
import io.lockstep.engine.model.Playbook;
import io.lockstep.engine.spi.JournalStore;
import io.lockstep.engine.spi.RunHeader;
import io.lockstep.engine.spi.RunJournal;
import io.lockstep.engine.spi.SecretResolver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The engine's entry point: runs, resumes and rolls back playbooks against a journal store.
 *
 * <pre>{@code
 * Lockstep engine = Lockstep.builder()
 *     .store(new FileJournalStore(Path.of("/var/lib/lockstep")))
 *     .secrets(name -> vault.read(name))
 *     .listener(event -> log.info("{} {}", event.type(), event.stepId()))
 *     .build();
 * RunResult result = engine.run(playbook, RunOptions.DEFAULTS);
 * }</pre>
 *
 * Instances are thread-safe; one engine can run several playbooks at once (each holds its own
 * lock).
 */
public final class Lockstep {

  private final JournalStore store;
  private final SecretResolver secrets;
  private final List<RunListener> listeners;
  private final String user;

  private Lockstep(Builder b) {
    this.store = b.store;
    this.secrets = b.secrets;
    this.listeners = List.copyOf(b.listeners);
    this.user = b.user;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Starts a new run. Takes the playbook-and-environment lock or throws {@code LockHeldException}.
   */
  public RunResult run(Playbook playbook, RunOptions options) {
    return executor().start(playbook, options);
  }

  /** Continues a run that was interrupted, paused at a gate, or waiting for a decision. */
  public RunResult resume(String runId, Playbook playbook, ResumeOptions options) {
    return executor().resume(runId, playbook, options);
  }

  /** Undoes a failed, paused or interrupted run: compensations in reverse finishing order. */
  public RunResult rollback(String runId, Playbook playbook) {
    return executor().rollback(runId, playbook);
  }

  /**
   * Records an approval for a gate of a paused run. The run continues on the next {@link #resume}.
   */
  public void approve(String runId, String gateId, String by, String comment) {
    executor().approve(runId, gateId, by == null ? user : by, comment);
  }

  /** The run as its journal tells it. */
  public RunView status(String runId) {
    try (RunJournal journal = store.open(runId)) {
      return RunView.of(journal.records());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Headers of all runs in the store, newest first. */
  public List<RunHeader> history() {
    try {
      return store.runs();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public JournalStore store() {
    return store;
  }

  private Executor executor() {
    return new Executor(store, secrets, listeners, user);
  }

  /** Builder for {@link Lockstep}. */
  public static final class Builder {
    private JournalStore store;
    private SecretResolver secrets = SecretResolver.fromEnvironment(System.getenv());
    private final List<RunListener> listeners = new ArrayList<>();
    private String user = System.getProperty("user.name", "unknown");

    private Builder() {}

    /** Journal store; defaults to a {@link FileJournalStore} in {@code ./.lockstep}. */
    public Builder store(JournalStore store) {
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    /** Secret resolver; defaults to environment variables {@code LOCKSTEP_SECRET_<NAME>}. */
    public Builder secrets(SecretResolver secrets) {
      this.secrets = Objects.requireNonNull(secrets, "secrets");
      return this;
    }

    public Builder listener(RunListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /** Name recorded as the run's starter and as the approver when none is given. */
    public Builder user(String user) {
      this.user = Objects.requireNonNull(user, "user");
      return this;
    }

    public Lockstep build() {
      if (store == null) {
        store = new FileJournalStore(Path.of(".lockstep"));
      }
      return new Lockstep(this);
    }
  }
}
