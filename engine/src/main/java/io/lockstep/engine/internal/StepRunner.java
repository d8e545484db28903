package io.lockstep.engine.internal;

import io.lockstep.engine.RunEvent;
import io.lockstep.engine.model.Step;
import io.lockstep.engine.spi.RecordType;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Runs one step forward: skips it when the journal says it finished, decides it when it is in
 * doubt, then runs attempts with retry and timeout. The {@code STEP_STARTED} record is durable
 * before the action begins, the {@code STEP_FINISHED} record before this method returns.
 */
final class StepRunner {

  private final RunSession session;
  private final Decisions decisions;

  StepRunner(RunSession session, Decisions decisions) {
    this.session = session;
    this.decisions = decisions;
  }

  Outcome run(Step step) {
    RunReplay state = session.state();
    if (state.isFinished(step.id())) {
      session.emit(
          RunEvent.Type.STEP_SKIPPED, step, "finished earlier", state.outputs(step.id()), 0, 0);
      return Outcome.OK;
    }
    if (session.stopping()) {
      return Outcome.STOPPED;
    }
    if (state.isInDoubt(step.id())) {
      InDoubt decision = decide(step);
      if (decision.done()) {
        return Outcome.OK;
      }
      if (decision.undecided() != null) {
        return Outcome.needsDecision(step.id(), decision.undecided());
      }
    }
    return attempt(step);
  }

  private Outcome attempt(Step step) {
    int previous = session.state().attempts(step.id());
    for (int n = 1; ; n++) {
      int attempt = previous + n;
      session.append(RecordType.STEP_STARTED, step.id(), Map.of("attempt", attempt));
      session.emit(RunEvent.Type.STEP_STARTED, step, step.description(), Map.of(), 0, attempt);
      long begin = System.nanoTime();
      try {
        Map<String, Object> outputs =
            JsonValues.outputs(session.invoke(step, attempt, Map.of(), step.action()::execute));
        long millis = (System.nanoTime() - begin) / 1_000_000;
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("outputs", outputs);
        data.put("durationMs", millis);
        session.append(RecordType.STEP_FINISHED, step.id(), data);
        session.emit(
            RunEvent.Type.STEP_FINISHED,
            step,
            "",
            session.state().outputs(step.id()),
            millis,
            attempt);
        return Outcome.OK;
      } catch (Exception e) {
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
        }
        long millis = (System.nanoTime() - begin) / 1_000_000;
        String error = session.masker().mask(Errors.describe(e));
        boolean last =
            n >= step.retry().maxAttempts()
                || session.stopping()
                || Thread.currentThread().isInterrupted();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("attempt", attempt);
        data.put("error", error);
        data.put("final", last);
        data.put("durationMs", millis);
        session.append(RecordType.STEP_FAILED, step.id(), data);
        session.emit(RunEvent.Type.STEP_FAILED, step, error, Map.of(), millis, attempt);
        if (last) {
          return Outcome.failed(step.id(), error);
        }
        Duration delay = step.retry().delayBefore(n + 1);
        session.emit(
            RunEvent.Type.STEP_RETRYING,
            step,
            "attempt "
                + (n + 1)
                + " of "
                + step.retry().maxAttempts()
                + " in "
                + Durations.format(delay),
            Map.of(),
            0,
            attempt);
        if (!sleep(delay)) {
          return Outcome.failed(step.id(), error);
        }
      }
    }
  }

  /** How an in-doubt step was decided. */
  private record InDoubt(boolean done, String undecided) {}

  private InDoubt decide(Step step) {
    String id = step.id();
    if (decisions.markDone().contains(id)) {
      record(step, "mark-done", "marked done by " + decisions.by());
      finish(step, Map.of());
      return new InDoubt(true, null);
    }
    if (decisions.retry().contains(id)) {
      record(step, "retry", "retried on the decision of " + decisions.by());
      return new InDoubt(false, null);
    }
    if (step.probe() != null) {
      try {
        return new InDoubt(decideByProbe(step), null);
      } catch (Exception e) {
        return new InDoubt(
            false,
            "it was running when the engine stopped and its probe failed: "
                + session.masker().mask(Errors.describe(e)));
      }
    }
    if (step.idempotent()) {
      record(step, "rerun-idempotent", "idempotent; running it again");
      return new InDoubt(false, null);
    }
    return new InDoubt(
        false,
        "it was running when the engine stopped, is not idempotent and has no probe: check whether"
            + " its effect is in place");
  }

  /**
   * Asks an in-doubt step's probe and journals the answer. True when the effect is in place: the
   * step is then recorded as finished with the probe's outputs.
   *
   * @throws Exception when the probe itself fails; nothing is journaled then
   */
  boolean decideByProbe(Step step) throws Exception {
    Optional<Map<String, Object>> found =
        session.invoke(step, session.state().attempts(step.id()), Map.of(), step.probe()::check);
    if (found.isPresent()) {
      record(step, "probe-done", "probe found the effect in place");
      finish(step, JsonValues.outputs(found.get()));
      return true;
    }
    record(step, "probe-not-done", "probe found no effect");
    return false;
  }

  private void record(Step step, String decision, String message) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("decision", decision);
    if (decisions.by() != null) {
      data.put("by", decisions.by());
    }
    session.append(RecordType.STEP_DECIDED, step.id(), data);
    session.emit(RunEvent.Type.STEP_DECIDED, step, message, Map.of(), 0, 0);
  }

  private void finish(Step step, Map<String, Object> outputs) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("outputs", outputs);
    data.put("durationMs", 0L);
    session.append(RecordType.STEP_FINISHED, step.id(), data);
    session.emit(
        RunEvent.Type.STEP_FINISHED, step, "", outputs, 0, session.state().attempts(step.id()));
  }

  private static boolean sleep(Duration delay) {
    try {
      Thread.sleep(delay.toMillis());
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
