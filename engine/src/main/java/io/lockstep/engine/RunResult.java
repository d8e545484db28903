package io.lockstep.engine;

import java.util.List;
import java.util.Map;

/**
 * How a run (or resume, or rollback) ended.
 *
 * @param runId the run
 * @param status where it stands now
 * @param message one line for people
 * @param failedStep the step whose failure ended the forward run, or {@code null}
 * @param error that step's error (masked), or {@code null}
 * @param compensated steps undone, in the order they were undone
 * @param notUndone finished steps whose effect remains (irreversible, or after a failed
 *     compensation)
 * @param waitingFor gate awaiting approval, or steps awaiting a decision; empty otherwise
 * @param outputs outputs of every finished step, by step id
 */
public record RunResult(
    String runId,
    RunStatus status,
    String message,
    String failedStep,
    String error,
    List<String> compensated,
    List<String> notUndone,
    List<String> waitingFor,
    Map<String, Map<String, Object>> outputs) {

  public RunResult {
    compensated = List.copyOf(compensated);
    notUndone = List.copyOf(notUndone);
    waitingFor = List.copyOf(waitingFor);
    outputs = Map.copyOf(outputs);
  }
}
