package io.lockstep.engine;

import io.lockstep.engine.internal.RunReplay;
import io.lockstep.engine.spi.JournalRecord;
import io.lockstep.engine.spi.RunHeader;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A run as its journal tells it: what {@code status}, {@code history} and reports show.
 *
 * @param header what was run
 * @param status where it stands
 * @param message the last status message
 * @param steps every step that started, in the order it first started
 * @param records the raw journal
 */
public record RunView(
    RunHeader header,
    RunStatus status,
    String message,
    List<StepView> steps,
    List<JournalRecord> records) {

  public RunView {
    steps = List.copyOf(steps);
    records = List.copyOf(records);
  }

  /**
   * The run these records tell, in journal order: what {@link Lockstep#status} returns for a run in
   * its store. For callers that already hold the journal open, or records from elsewhere.
   */
  public static RunView of(List<JournalRecord> records) {
    return RunReplay.of(records).view();
  }

  /** When the last record was written. */
  public Instant updatedAt() {
    return records.isEmpty() ? header.startedAt() : records.get(records.size() - 1).at();
  }

  /** One step's history in a run. */
  public record StepView(
      String stepId,
      State state,
      int attempts,
      Instant startedAt,
      Instant finishedAt,
      Map<String, Object> outputs,
      String error,
      Compensated compensated) {}

  /** Forward state of a step. */
  public enum State {
    /** Started, not finished, not failed: in flight, or in doubt after a crash. */
    STARTED,
    FINISHED,
    FAILED
  }

  /** Rollback state of a finished step. */
  public enum Compensated {
    NO,
    STARTED,
    DONE,
    FAILED
  }
}
