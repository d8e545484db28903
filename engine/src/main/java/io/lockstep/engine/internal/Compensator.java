package io.lockstep.engine.internal;

import io.lockstep.engine.RunEvent;
import io.lockstep.engine.RunStatus;
import io.lockstep.engine.RunView.Compensated;
import io.lockstep.engine.model.Compensation;
import io.lockstep.engine.model.Step;
import io.lockstep.engine.spi.RecordType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Undoes finished steps in reverse finishing order (a saga). Each compensation is journaled like a
 * step: started, then finished or failed. A compensation that fails after its retries stops the
 * rollback: later compensations may depend on it (the old version must not start before the
 * database is restored), so the run ends in {@code compensation-failed} with a report of what was
 * and was not undone.
 *
 * <p>Steps in doubt (running when the engine died) may have partly happened: their probe decides,
 * and without a probe they are compensated too; compensations must therefore tolerate an effect
 * that is absent.
 */
final class Compensator {

  private final RunSession session;

  Compensator(RunSession session) {
    this.session = session;
  }

  /** Rolls back the whole run. */
  RollbackReport rollbackRun(String reason) {
    RunReplay state = session.state();
    if (!state.rollbackStarted()) {
      session.append(RecordType.ROLLBACK_STARTED, null, Map.of("reason", reason));
    }
    if (state.status() != RunStatus.ROLLING_BACK) {
      session.status(RunStatus.ROLLING_BACK, reason);
    }
    session.emitRun(RunEvent.Type.ROLLBACK_STARTED, reason, RunStatus.ROLLING_BACK);
    return compensate(candidates(null));
  }

  /** Rolls back only the given steps (a failed target of a rolling block). */
  RollbackReport rollbackSteps(Collection<String> stepIds) {
    return compensate(candidates(stepIds));
  }

  /** In-doubt steps (latest first), then finished steps in reverse finishing order. */
  private List<String> candidates(Collection<String> only) {
    RunReplay state = session.state();
    List<String> order = new ArrayList<>();
    List<String> inDoubt = new ArrayList<>(state.inDoubt());
    java.util.Collections.reverse(inDoubt);
    order.addAll(inDoubt);
    List<String> finished = new ArrayList<>(state.finishOrder());
    java.util.Collections.reverse(finished);
    order.addAll(finished);
    return only == null ? order : order.stream().filter(only::contains).toList();
  }

  private RollbackReport compensate(List<String> order) {
    RunReplay state = session.state();
    List<String> undone = new ArrayList<>();
    List<String> notUndone = new ArrayList<>();
    for (int i = 0; i < order.size(); i++) {
      String id = order.get(i);
      Compensated done = state.compensation(id);
      if (done == Compensated.DONE) {
        undone.add(id);
        continue;
      }
      Step step = session.step(id);
      if (step == null) {
        String error = "step " + id + " is no longer in the playbook; its compensation is unknown";
        notUndone.add(id + " (" + error + ")");
        return new RollbackReport(undone, notUndone, id, error);
      }
      Compensation compensation = step.compensation();
      if (compensation.kind() == Compensation.Kind.NONE) {
        continue;
      }
      if (compensation.kind() == Compensation.Kind.IRREVERSIBLE) {
        notUndone.add(id + " (irreversible: " + compensation.description() + ")");
        continue;
      }
      if (compensation.kind() == Compensation.Kind.UNDECLARED) {
        notUndone.add(id + " (no undo declared)");
        continue;
      }
      if (state.isInDoubt(id) && !effectMayBeInPlace(step)) {
        continue;
      }
      Optional<String> error = runCompensation(step);
      if (error.isPresent()) {
        notUndone.add(id + " (compensation failed: " + error.get() + ")");
        for (String rest : order.subList(i + 1, order.size())) {
          Step other = session.step(rest);
          if (other != null
              && other.compensation().kind() == Compensation.Kind.ACTION
              && state.compensation(rest) != Compensated.DONE) {
            notUndone.add(rest + " (not attempted)");
          }
        }
        return new RollbackReport(undone, notUndone, id, error.get());
      }
      undone.add(id);
    }
    return new RollbackReport(undone, notUndone, null, null);
  }

  /** For an in-doubt step: ask its probe; without one, assume the effect may be there. */
  private boolean effectMayBeInPlace(Step step) {
    if (step.probe() == null) {
      return true;
    }
    try {
      return new StepRunner(session, Decisions.NONE).decideByProbe(step);
    } catch (Exception e) {
      // The probe cannot tell: compensate, as for a step without a probe.
      return true;
    }
  }

  private Optional<String> runCompensation(Step step) {
    Compensation compensation = step.compensation();
    Map<String, Object> outputs = session.state().outputs(step.id());
    Map<String, Object> own = outputs == null ? Map.of() : outputs;
    int maxAttempts = compensation.retry().maxAttempts();
    for (int attempt = 1; ; attempt++) {
      session.append(RecordType.COMPENSATION_STARTED, step.id(), Map.of("attempt", attempt));
      session.emit(
          RunEvent.Type.COMPENSATION_STARTED,
          step,
          compensation.description(),
          Map.of(),
          0,
          attempt);
      long begin = System.nanoTime();
      try {
        session.invoke(step, attempt, own, compensation.action()::execute);
        long millis = (System.nanoTime() - begin) / 1_000_000;
        session.append(RecordType.COMPENSATION_FINISHED, step.id(), Map.of("durationMs", millis));
        session.emit(
            RunEvent.Type.COMPENSATION_FINISHED,
            step,
            compensation.description(),
            Map.of(),
            millis,
            attempt);
        return Optional.empty();
      } catch (Exception e) {
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
        }
        long millis = (System.nanoTime() - begin) / 1_000_000;
        String error = session.masker().mask(Errors.describe(e));
        boolean last = attempt >= maxAttempts || Thread.currentThread().isInterrupted();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("attempt", attempt);
        data.put("error", error);
        data.put("final", last);
        session.append(RecordType.COMPENSATION_FAILED, step.id(), data);
        session.emit(RunEvent.Type.COMPENSATION_FAILED, step, error, Map.of(), millis, attempt);
        if (last) {
          return Optional.of(error);
        }
        Duration delay = compensation.retry().delayBefore(attempt + 1);
        try {
          Thread.sleep(delay.toMillis());
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          return Optional.of(error);
        }
      }
    }
  }
}
