package io.lockstep.engine.internal;

import io.lockstep.engine.LockstepException;
import io.lockstep.engine.RunEvent;
import io.lockstep.engine.RunStatus;
import io.lockstep.engine.model.Playbook;
import io.lockstep.engine.model.Step;
import io.lockstep.engine.model.StepContext;
import io.lockstep.engine.spi.JournalRecord;
import io.lockstep.engine.spi.RecordType;
import io.lockstep.engine.spi.RunJournal;
import io.lockstep.engine.spi.SecretResolver;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One process's work on one run: the journal, the replayed state, and the services steps use. Every
 * record goes through {@link #append}, which masks it, makes it durable, and only then applies it
 * to the in-memory state.
 */
final class RunSession {

  private final Playbook playbook;
  private final RunJournal journal;
  private final RunReplay state;
  private final SecretResolver secrets;
  private final Masker masker;
  private final EventBus bus;
  private final Invoker invoker;
  private final Map<String, Step> steps;
  private final SharedResources resources = new SharedResources();
  private volatile boolean stopping;

  RunSession(
      Playbook playbook,
      RunJournal journal,
      RunReplay state,
      SecretResolver secrets,
      EventBus bus,
      Invoker invoker) {
    this.playbook = playbook;
    this.journal = journal;
    this.state = state;
    this.secrets = secrets;
    this.masker = new Masker();
    this.bus = bus;
    this.invoker = invoker;
    this.steps = StepIndex.of(playbook.root());
  }

  String runId() {
    return journal.runId();
  }

  Playbook playbook() {
    return playbook;
  }

  RunJournal journal() {
    return journal;
  }

  RunReplay state() {
    return state;
  }

  SecretResolver secrets() {
    return secrets;
  }

  Masker masker() {
    return masker;
  }

  /** What the steps of this session share; closed when the session ends. */
  SharedResources resources() {
    return resources;
  }

  /** The step with this id in the current playbook, or {@code null}. */
  Step step(String id) {
    return steps.get(id);
  }

  /** Something a step does with its context: an action, a probe or a compensation. */
  @FunctionalInterface
  interface StepCall<T> {
    T apply(StepContext context) throws Exception;
  }

  /**
   * Runs an action, probe or compensation of a step with a fresh context, the step's timeout, and
   * the run and step ids in the MDC.
   */
  <T> T invoke(Step step, int attempt, Map<String, Object> ownOutputs, StepCall<T> call)
      throws Exception {
    CancellationToken token = new CancellationToken();
    ContextImpl context = new ContextImpl(this, step, attempt, ownOutputs, token);
    return invoker.invoke(
        () -> EventBus.withMdc(runId(), step.id(), () -> call.apply(context)),
        step.timeout(),
        token);
  }

  /** Set once a branch failed: nothing new starts, running steps finish. */
  boolean stopping() {
    return stopping;
  }

  void stop() {
    stopping = true;
  }

  JournalRecord append(RecordType type, String stepId, Map<String, Object> data) {
    try {
      JournalRecord record = journal.append(type, stepId, masker.maskMap(data));
      state.apply(record);
      return record;
    } catch (IOException e) {
      throw new LockstepException(
          "cannot write the journal of run " + runId() + ": " + e.getMessage(),
          "the run stopped where it was; fix the store (disk full? permissions?) and `resume "
              + runId()
              + "`",
          e);
    }
  }

  void status(RunStatus status, String message) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("status", status.name());
    data.put("message", message);
    append(RecordType.RUN_STATUS, null, data);
  }

  void emit(
      RunEvent.Type type,
      Step step,
      String message,
      Map<String, Object> outputs,
      long durationMs,
      int attempt) {
    emit(
        type,
        step.id(),
        step.target() == null ? null : step.target().name(),
        message,
        outputs,
        durationMs,
        attempt,
        null);
  }

  void emitRun(RunEvent.Type type, String message, RunStatus status) {
    emit(type, null, null, message, Map.of(), 0, 0, status);
  }

  void emit(
      RunEvent.Type type,
      String stepId,
      String target,
      String message,
      Map<String, Object> outputs,
      long durationMs,
      int attempt,
      RunStatus status) {
    bus.emit(
        new RunEvent(
            type,
            runId(),
            stepId,
            target,
            Instant.now(),
            masker.mask(message),
            masker.maskMap(outputs),
            durationMs,
            attempt,
            status));
  }

  /** Closes the journal and the step threads when a command is done with the session. */
  record Closer(RunSession session) implements AutoCloseable {
    @Override
    public void close() {
      session.invoker.shutdown();
      session.resources.close();
      try {
        session.journal.close();
      } catch (IOException e) {
        org.slf4j.LoggerFactory.getLogger(RunSession.class)
            .warn("closing the journal of run {} failed: {}", session.runId(), e.toString());
      }
    }
  }
}
