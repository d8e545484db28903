package io.lockstep.engine.internal;

import io.lockstep.engine.LockstepException;
import io.lockstep.engine.ResumeOptions;
import io.lockstep.engine.RunEvent;
import io.lockstep.engine.RunListener;
import io.lockstep.engine.RunOptions;
import io.lockstep.engine.RunResult;
import io.lockstep.engine.RunStatus;
import io.lockstep.engine.model.Playbook;
import io.lockstep.engine.spi.JournalStore;
import io.lockstep.engine.spi.LockHeldException;
import io.lockstep.engine.spi.LockHolder;
import io.lockstep.engine.spi.RecordType;
import io.lockstep.engine.spi.RunHeader;
import io.lockstep.engine.spi.RunJournal;
import io.lockstep.engine.spi.SecretResolver;
import io.lockstep.engine.spi.UnknownRunException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Starts, resumes, rolls back and approves runs: takes the lock, opens the journal, drives the tree
 * walk, and turns its outcome into the run's next status.
 */
public final class Executor {

  private final JournalStore store;
  private final SecretResolver secrets;
  private final EventBus bus;
  private final String user;

  public Executor(
      JournalStore store, SecretResolver secrets, List<RunListener> listeners, String user) {
    this.store = store;
    this.secrets = secrets;
    this.bus = new EventBus(listeners);
    this.user = user;
  }

  public RunResult start(Playbook playbook, RunOptions options) {
    checkIds(playbook);
    String runId = RunIds.next();
    Playbook.Source source = playbook.source();
    RunHeader header =
        new RunHeader(
            runId,
            playbook.name(),
            playbook.environment(),
            source.playbookFile(),
            source.environmentFile(),
            source.fingerprint(),
            playbook.params(),
            Instant.now(),
            user);
    lock(playbook.lockKey(), runId);
    RunJournal journal;
    try {
      journal = store.create(header);
    } catch (IOException | RuntimeException e) {
      unlockQuietly(playbook.lockKey(), runId);
      throw new LockstepException(
          "cannot create run " + runId + ": " + e.getMessage(), "check the store directory", e);
    }
    try (RunSession.Closer closer = session(playbook, journal)) {
      RunSession session = closer.session();
      session.emitRun(RunEvent.Type.RUN_STARTED, playbook.lockKey(), RunStatus.RUNNING);
      return drive(
          session,
          Decisions.NONE,
          options.preApproved(),
          approver(options.approvedBy()),
          options.rollbackOnFailure());
    }
  }

  public RunResult resume(String runId, Playbook playbook, ResumeOptions options) {
    checkIds(playbook);
    try (RunSession.Closer closer =
        lockedSession(runId, playbook, options.allowChangedPlaybook(), "resume")) {
      RunSession session = closer.session();
      RunReplay state = session.state();
      session.emitRun(
          RunEvent.Type.RUN_RESUMED, "from " + state.status().display(), state.status());
      if (state.rollbackStarted()) {
        return finishRollback(session, "rollback resumed");
      }
      session.status(RunStatus.RUNNING, "resumed by " + approver(options.decidedBy()));
      Decisions decisions =
          new Decisions(options.markDone(), options.retry(), approver(options.decidedBy()));
      return drive(session, decisions, Set.of(), null, options.rollbackOnFailure());
    }
  }

  public RunResult rollback(String runId, Playbook playbook) {
    checkIds(playbook);
    try (RunSession.Closer closer = lockedSession(runId, playbook, true, "roll back")) {
      return finishRollback(closer.session(), "rollback requested by " + user);
    }
  }

  public void approve(String runId, String gateId, String by, String comment) {
    try (RunJournal journal = open(runId)) {
      RunReplay state = RunReplay.of(journal.records());
      if (state.status() != RunStatus.AWAITING_APPROVAL) {
        throw new LockstepException(
            "run "
                + runId
                + " is not waiting for an approval (it is "
                + state.status().display()
                + ")",
            "`lockstep status " + runId + "` shows where it stands");
      }
      List<String> pending = state.pendingApprovals();
      String gate = gateId;
      if (gate == null) {
        if (pending.size() != 1) {
          throw new LockstepException(
              "run " + runId + " waits at several gates: " + pending, "name the gate to approve");
        }
        gate = pending.get(0);
      }
      if (!pending.contains(gate)) {
        throw new LockstepException(
            "gate '" + gate + "' of run " + runId + " is not waiting for approval",
            "waiting: " + pending);
      }
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("by", by);
      data.put("comment", comment == null ? "" : comment);
      journal.append(RecordType.APPROVAL_GRANTED, gate, data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private RunResult drive(
      RunSession session,
      Decisions decisions,
      Set<String> preApproved,
      String by,
      boolean rollbackOnFailure) {
    StepRunner runner = new StepRunner(session, decisions);
    Outcome outcome =
        new TreeWalker(session, runner, preApproved, by).walk(session.playbook().root());
    RunReplay state = session.state();
    return switch (outcome.kind()) {
      case OK -> {
        int steps = state.finishOrder().size();
        finish(session, RunStatus.SUCCEEDED, "all " + steps + " steps finished");
        yield result(session, null, null, null, List.of());
      }
      case AWAITING_APPROVAL -> {
        finish(
            session,
            RunStatus.AWAITING_APPROVAL,
            "waiting for approval of " + String.join(", ", outcome.waitingFor()));
        yield result(session, null, null, null, outcome.waitingFor());
      }
      case NEEDS_DECISION -> {
        finish(session, RunStatus.NEEDS_DECISION, outcome.stepId() + ": " + outcome.error());
        yield result(session, outcome.stepId(), outcome.error(), null, outcome.waitingFor());
      }
      case FAILED, STOPPED -> {
        String reason = outcome.stepId() + " failed: " + outcome.error();
        if (!rollbackOnFailure) {
          finish(session, RunStatus.FAILED, reason);
          yield result(session, outcome.stepId(), outcome.error(), null, List.of());
        }
        RollbackReport report = new Compensator(session).rollbackRun(reason);
        finishRollback(session, report, reason);
        yield result(session, outcome.stepId(), outcome.error(), report, List.of());
      }
    };
  }

  private RunResult finishRollback(RunSession session, String reason) {
    RollbackReport report = new Compensator(session).rollbackRun(reason);
    finishRollback(session, report, reason);
    return result(session, null, null, report, List.of());
  }

  private void finishRollback(RunSession session, RollbackReport report, String reason) {
    if (report.succeeded()) {
      String undone = report.undone().size() + " steps undone";
      String kept =
          report.notUndone().isEmpty() ? "" : ", " + report.notUndone().size() + " not undone";
      finish(session, RunStatus.ROLLED_BACK, reason + "; rolled back: " + undone + kept);
    } else {
      finish(
          session,
          RunStatus.COMPENSATION_FAILED,
          "compensation of " + report.failedStep() + " failed: " + report.error());
    }
  }

  private void finish(RunSession session, RunStatus status, String message) {
    session.status(status, message);
    if (status.isTerminal()) {
      unlockQuietly(session.playbook().lockKey(), session.runId());
    }
    session.emitRun(RunEvent.Type.RUN_FINISHED, message, status);
  }

  private RunResult result(
      RunSession session,
      String failedStep,
      String error,
      RollbackReport report,
      List<String> waiting) {
    RunReplay state = session.state();
    return new RunResult(
        session.runId(),
        state.status(),
        state.message(),
        failedStep,
        error,
        report == null ? List.of() : report.undone(),
        report == null ? List.of() : report.notUndone(),
        waiting,
        state.allOutputs());
  }

  private RunSession.Closer session(Playbook playbook, RunJournal journal) {
    try {
      RunReplay state = RunReplay.of(journal.records());
      return new RunSession.Closer(
          new RunSession(playbook, journal, state, secrets, bus, new Invoker()));
    } catch (IOException e) {
      closeQuietly(journal);
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Opens an existing run for this process: checks it is the playbook's run, takes the lock, and
   * only then reads the state it will act on, so a process that held the lock until a moment ago
   * cannot have changed the run behind it (a resume that raced a finishing run would otherwise
   * re-run its finished steps).
   */
  private RunSession.Closer lockedSession(
      String runId, Playbook playbook, boolean allowChanged, String verb) {
    RunJournal journal = open(runId);
    try {
      // A run that ended stays ended: refuse it before touching a lock another run may hold now.
      RunReplay before = RunReplay.of(journal.records());
      checkSameRun(before.header(), playbook);
      if (before.status().isTerminal()) {
        checkResumable(before, playbook, allowChanged, verb);
      }
      lock(playbook.lockKey(), runId);
    } catch (IOException | RuntimeException e) {
      closeQuietly(journal);
      throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
    }
    RunSession.Closer closer = session(playbook, journal);
    try {
      checkResumable(closer.session().state(), playbook, allowChanged, verb);
      return closer;
    } catch (RuntimeException e) {
      if (closer.session().state().status().isTerminal()) {
        // Terminal runs hold no lock: give back the one just taken.
        unlockQuietly(playbook.lockKey(), runId);
      }
      closer.close();
      throw e;
    }
  }

  private static void checkSameRun(RunHeader header, Playbook playbook) {
    if (!header.playbook().equals(playbook.name())
        || !header.environment().equals(playbook.environment())) {
      throw new LockstepException(
          "run " + header.runId() + " is " + header.lockKey() + ", not " + playbook.lockKey(),
          "give the playbook and environment the run was started with");
    }
  }

  private void checkResumable(
      RunReplay state, Playbook playbook, boolean allowChanged, String verb) {
    RunHeader header = state.header();
    checkSameRun(header, playbook);
    if (state.status().isTerminal()) {
      throw new LockstepException(
          "run "
              + header.runId()
              + " has "
              + state.status().display()
              + "; there is nothing to "
              + verb,
          "start a new run");
    }
    String fingerprint = playbook.source().fingerprint();
    if (!allowChanged && !fingerprint.equals(header.fingerprint())) {
      throw new LockstepException(
          "the playbook or environment of run " + header.runId() + " changed since it started",
          "a changed playbook may change step ids and their meaning; review the change, then resume with"
              + " --allow-changed, or roll the run back");
    }
  }

  private RunJournal open(String runId) {
    try {
      return store.open(runId);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void lock(String key, String runId) {
    LockHolder me =
        new LockHolder(runId, user, hostName(), ProcessHandle.current().pid(), Instant.now());
    try {
      refuseIfDrivenElsewhere(key, me);
      try {
        store.lock(key, me);
      } catch (LockHeldException held) {
        if (!isStale(held.holder())) {
          throw held;
        }
        store.unlock(key, held.holder().runId());
        store.lock(key, me);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The lock belongs to the run, so a resume takes it over from the process that started the run.
   * But while that process is still alive on this host, two processes would drive one run at once:
   * refuse, naming it. (A holder on another host cannot be checked; its host is in the message of
   * every other refusal.)
   */
  private void refuseIfDrivenElsewhere(String key, LockHolder me) throws IOException {
    Optional<LockHolder> holder = store.lockHolder(key);
    if (holder.isEmpty()) {
      return;
    }
    LockHolder other = holder.get();
    boolean sameRun = other.runId().equals(me.runId());
    boolean otherLiveProcessHere =
        other.host().equals(me.host())
            && other.pid() != me.pid()
            && ProcessHandle.of(other.pid()).map(ProcessHandle::isAlive).orElse(false);
    if (sameRun && otherLiveProcessHere) {
      throw new LockstepException(
          "run "
              + me.runId()
              + " is being driven by another process: pid "
              + other.pid()
              + " on "
              + other.host(),
          "wait for it to finish, or stop it first; `lockstep status "
              + me.runId()
              + "` shows where it stands");
    }
  }

  /**
   * A lock left by a run that no longer exists or has ended (a crash between its last record and
   * the unlock).
   */
  private boolean isStale(LockHolder holder) throws IOException {
    try (RunJournal journal = store.open(holder.runId())) {
      return RunReplay.of(journal.records()).status().isTerminal();
    } catch (UnknownRunException e) {
      return true;
    }
  }

  private void unlockQuietly(String key, String runId) {
    try {
      store.unlock(key, runId);
    } catch (IOException | RuntimeException e) {
      org.slf4j.LoggerFactory.getLogger(Executor.class)
          .warn("could not release lock {} of run {}: {}", key, runId, e.toString());
    }
  }

  private static void checkIds(Playbook playbook) {
    try {
      StepIndex.of(playbook.root());
    } catch (IllegalArgumentException e) {
      throw new LockstepException(e.getMessage(), "rename one of the steps");
    }
  }

  private static void closeQuietly(RunJournal journal) {
    try {
      journal.close();
    } catch (IOException ignored) {
      // Closing after a failure; the original failure is what the user needs to see.
    }
  }

  /** Who approved or decided: the name given, else the engine's user. */
  private String approver(String name) {
    return name == null ? user : name;
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "unknown-host";
    }
  }
}
