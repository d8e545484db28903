package io.lockstep.engine.internal;

import java.util.List;

/**
 * What a rollback (or a target's own rollback) did.
 *
 * @param undone steps whose compensation finished, in the order they were undone
 * @param notUndone steps whose effect remains, each with the reason
 * @param failedStep the step whose compensation failed for good, or {@code null}
 * @param error that compensation's error, or {@code null}
 */
record RollbackReport(
    List<String> undone, List<String> notUndone, String failedStep, String error) {

  boolean succeeded() {
    return failedStep == null;
  }
}
