package io.lockstep.engine;

import java.time.Instant;
import java.util.Map;

/**
 * Something that happened in a run, delivered to {@link RunListener}s. Values are already masked:
 * no secret value reaches a listener.
 *
 * @param type what happened
 * @param runId the run
 * @param stepId the step (for compensation events: the step being undone), or {@code null}
 * @param target the step's target name, or {@code null}
 * @param at when
 * @param message a line for people: a log line, an error, a prompt
 * @param outputs the step's outputs for {@code STEP_FINISHED}, otherwise empty
 * @param durationMs for finished and failed events, otherwise 0
 * @param attempt for step events, otherwise 0
 * @param status for {@code RUN_FINISHED}: the status the run ended in (or paused in)
 */
public record RunEvent(
    Type type,
    String runId,
    String stepId,
    String target,
    Instant at,
    String message,
    Map<String, Object> outputs,
    long durationMs,
    int attempt,
    RunStatus status) {

  public RunEvent {
    outputs = outputs == null ? Map.of() : outputs;
  }

  /** Event kinds. */
  public enum Type {
    RUN_STARTED,
    RUN_RESUMED,
    STEP_STARTED,
    /** Finished in an earlier attempt of this run: skipped with its recorded outputs. */
    STEP_SKIPPED,
    STEP_FINISHED,
    STEP_FAILED,
    STEP_RETRYING,
    /** A line an action wrote. */
    STEP_LOG,
    /** An in-doubt step was decided (message says how). */
    STEP_DECIDED,
    APPROVAL_REQUIRED,
    APPROVAL_GRANTED,
    ROLLBACK_STARTED,
    COMPENSATION_STARTED,
    COMPENSATION_FINISHED,
    COMPENSATION_FAILED,
    /** The run stopped: finished, paused, or waiting for a decision; see {@code status}. */
    RUN_FINISHED
  }
}
