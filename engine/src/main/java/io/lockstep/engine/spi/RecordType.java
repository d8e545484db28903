package io.lockstep.engine.spi;

/** Kinds of journal records. The journal is the run: its state is what these records replay to. */
public enum RecordType {
  /** First record of a run; data: the run header (see {@link RunHeader#toData()}). */
  RUN_STARTED,
  /** Durable before the action begins; data: {@code attempt}. */
  STEP_STARTED,
  /** Durable before the next step begins; data: {@code outputs}, {@code durationMs}. */
  STEP_FINISHED,
  /** An attempt failed; data: {@code attempt}, {@code error}, {@code final} (no more retries). */
  STEP_FAILED,
  /**
   * An in-doubt step was decided; data: {@code decision} (probe-done, probe-not-done,
   * rerun-idempotent, mark-done, retry), {@code by}.
   */
  STEP_DECIDED,
  /** A gate was reached without an approval. */
  APPROVAL_REQUESTED,
  /** data: {@code by}, {@code comment}. */
  APPROVAL_GRANTED,
  /**
   * A target of a rolling block failed within the allowed failure share and was rolled back on its
   * own; stepId is {@code <rolling id>@<target>}; data: {@code error}. The rollout went on.
   */
  TARGET_FAILED,
  /** Rollback began; data: {@code reason}. */
  ROLLBACK_STARTED,
  /** The compensation of a finished step began; stepId is the step being undone. */
  COMPENSATION_STARTED,
  COMPENSATION_FINISHED,
  /** data: {@code error}, {@code final}. */
  COMPENSATION_FAILED,
  /** The run's status changed; data: {@code status}, {@code message}. */
  RUN_STATUS
}
