package io.lockstep.engine.internal;

import io.lockstep.engine.RunStatus;
import io.lockstep.engine.RunView;
import io.lockstep.engine.RunView.Compensated;
import io.lockstep.engine.RunView.State;
import io.lockstep.engine.spi.JournalRecord;
import io.lockstep.engine.spi.RunHeader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A run's state as its journal tells it. The executor applies every record it appends, so the state
 * it decides on is exactly the state a resume would rebuild from disk: there is no second source of
 * truth. Thread-safe: parallel branches apply records concurrently.
 */
public final class RunReplay {

  private RunHeader header;
  private final List<JournalRecord> records = new ArrayList<>();
  private final Map<String, StepHistory> steps = new LinkedHashMap<>();
  private final List<String> finishOrder = new ArrayList<>();
  private final Set<String> approvalsGranted = new HashSet<>();
  private final Set<String> approvalsRequested = new HashSet<>();
  private final Set<String> failedTargets = new HashSet<>();
  private boolean rollbackStarted;
  private RunStatus status = RunStatus.RUNNING;
  private String message = "";

  private RunReplay() {}

  /** Replays a whole journal. */
  public static RunReplay of(List<JournalRecord> records) {
    RunReplay replay = new RunReplay();
    records.forEach(replay::apply);
    return replay;
  }

  /** Applies one record; records must arrive in journal order. */
  @SuppressWarnings("unchecked")
  synchronized void apply(JournalRecord record) {
    records.add(record);
    String id = record.stepId();
    switch (record.type()) {
      case RUN_STARTED -> header = RunHeader.fromData(record.data());
      case STEP_STARTED -> {
        StepHistory step = steps.computeIfAbsent(id, StepHistory::new);
        step.attempts =
            ((Number) record.data().getOrDefault("attempt", step.attempts + 1)).intValue();
        if (step.firstStartedAt == null) {
          step.firstStartedAt = record.at();
        }
        step.state = State.STARTED;
        step.error = null;
      }
      case STEP_FINISHED -> {
        StepHistory step = steps.computeIfAbsent(id, StepHistory::new);
        step.state = State.FINISHED;
        step.finishedAt = record.at();
        Object outputs = record.data().get("outputs");
        step.outputs = outputs instanceof Map ? (Map<String, Object>) outputs : Map.of();
        step.compensated = Compensated.NO;
        finishOrder.remove(id);
        finishOrder.add(id);
      }
      case STEP_FAILED -> {
        StepHistory step = steps.computeIfAbsent(id, StepHistory::new);
        step.error = record.text("error");
        if (Boolean.TRUE.equals(record.data().get("final"))) {
          step.state = State.FAILED;
        }
      }
      case STEP_DECIDED -> {
        // The decision's effect follows as STEP_STARTED or STEP_FINISHED records.
      }
      case APPROVAL_REQUESTED -> approvalsRequested.add(id);
      case APPROVAL_GRANTED -> approvalsGranted.add(id);
      case TARGET_FAILED -> failedTargets.add(id);
      case ROLLBACK_STARTED -> rollbackStarted = true;
      case COMPENSATION_STARTED ->
          steps.computeIfAbsent(id, StepHistory::new).compensated = Compensated.STARTED;
      case COMPENSATION_FINISHED ->
          steps.computeIfAbsent(id, StepHistory::new).compensated = Compensated.DONE;
      case COMPENSATION_FAILED -> {
        StepHistory step = steps.computeIfAbsent(id, StepHistory::new);
        if (Boolean.TRUE.equals(record.data().get("final"))) {
          step.compensated = Compensated.FAILED;
        }
      }
      case RUN_STATUS -> {
        status = RunStatus.valueOf(record.text("status"));
        message = record.text("message") == null ? "" : record.text("message");
      }
      default -> throw new IllegalStateException("unhandled record type " + record.type());
    }
  }

  synchronized RunHeader header() {
    return header;
  }

  synchronized RunStatus status() {
    return status;
  }

  synchronized String message() {
    return message;
  }

  synchronized boolean isFinished(String stepId) {
    StepHistory step = steps.get(stepId);
    return step != null && step.state == State.FINISHED;
  }

  /** Started and neither finished nor failed for good: the process died while it ran. */
  synchronized boolean isInDoubt(String stepId) {
    StepHistory step = steps.get(stepId);
    return step != null && step.state == State.STARTED;
  }

  synchronized int attempts(String stepId) {
    StepHistory step = steps.get(stepId);
    return step == null ? 0 : step.attempts;
  }

  /** Outputs of a finished step, or {@code null}. */
  synchronized Map<String, Object> outputs(String stepId) {
    StepHistory step = steps.get(stepId);
    return step == null || step.state != State.FINISHED ? null : step.outputs;
  }

  synchronized Instant firstStartedAt(String stepId) {
    StepHistory step = steps.get(stepId);
    return step == null ? null : step.firstStartedAt;
  }

  synchronized Compensated compensation(String stepId) {
    StepHistory step = steps.get(stepId);
    return step == null ? Compensated.NO : step.compensated;
  }

  /** Finished steps, in the order they finished. */
  synchronized List<String> finishOrder() {
    return List.copyOf(finishOrder);
  }

  /** Steps that are in doubt, in the order they first started. */
  synchronized List<String> inDoubt() {
    return steps.values().stream().filter(s -> s.state == State.STARTED).map(s -> s.id).toList();
  }

  synchronized boolean isApproved(String gateId) {
    return approvalsGranted.contains(gateId);
  }

  synchronized boolean isApprovalRequested(String gateId) {
    return approvalsRequested.contains(gateId);
  }

  /** Gates requested and not yet approved. */
  synchronized List<String> pendingApprovals() {
    return approvalsRequested.stream().filter(g -> !approvalsGranted.contains(g)).sorted().toList();
  }

  synchronized boolean isTargetFailed(String memberKey) {
    return failedTargets.contains(memberKey);
  }

  synchronized boolean rollbackStarted() {
    return rollbackStarted;
  }

  /** Outputs of all finished steps, by id, in finishing order. */
  synchronized Map<String, Map<String, Object>> allOutputs() {
    Map<String, Map<String, Object>> all = new LinkedHashMap<>();
    finishOrder.forEach(id -> all.put(id, steps.get(id).outputs));
    return all;
  }

  /** The public view: what {@code status} and reports show. */
  public synchronized RunView view() {
    List<RunView.StepView> views = new ArrayList<>();
    for (StepHistory s : steps.values()) {
      views.add(
          new RunView.StepView(
              s.id,
              s.state,
              s.attempts,
              s.firstStartedAt,
              s.finishedAt,
              s.outputs,
              s.state == State.FINISHED ? null : s.error,
              s.compensated));
    }
    return new RunView(header, status, message, views, records);
  }

  /** One step's history. */
  private static final class StepHistory {
    final String id;
    State state = State.STARTED;
    int attempts;
    Instant firstStartedAt;
    Instant finishedAt;
    Map<String, Object> outputs = Map.of();
    String error;
    Compensated compensated = Compensated.NO;

    StepHistory(String id) {
      this.id = id;
    }
  }
}
