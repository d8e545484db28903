package io.lockstep.engine;

import java.util.Set;

/**
 * Options for a new run.
 *
 * @param rollbackOnFailure when a step fails, run compensations right away (default); when false
 *     the run stops in {@link RunStatus#FAILED} and {@code rollback} can be run later
 * @param preApproved approval gates (by id) to pass without pausing
 * @param approvedBy who pre-approved them
 */
public record RunOptions(boolean rollbackOnFailure, Set<String> preApproved, String approvedBy) {

  public static final RunOptions DEFAULTS = new RunOptions(true, Set.of(), null);

  public RunOptions {
    preApproved = Set.copyOf(preApproved);
  }

  public RunOptions withRollbackOnFailure(boolean rollback) {
    return new RunOptions(rollback, preApproved, approvedBy);
  }

  public RunOptions withPreApproved(Set<String> gates, String by) {
    return new RunOptions(rollbackOnFailure, gates, by);
  }
}
