package io.lockstep.engine;

/** Where a run stands. Terminal statuses release the playbook-and-environment lock. */
public enum RunStatus {
  RUNNING(false),
  /** Paused at an approval gate; {@code approve} continues it. */
  AWAITING_APPROVAL(false),
  /** A step was in flight when the engine died and nothing can decide it safely. */
  NEEDS_DECISION(false),
  /**
   * A step failed and the run was not rolled back (rollback disabled); {@code rollback} undoes it.
   */
  FAILED(false),
  ROLLING_BACK(false),
  /** A compensation failed for good: the report lists what was and was not undone. */
  COMPENSATION_FAILED(false),
  SUCCEEDED(true),
  ROLLED_BACK(true);

  private final boolean terminal;

  RunStatus(boolean terminal) {
    this.terminal = terminal;
  }

  /** True when nothing more can happen to the run and its lock is released. */
  public boolean isTerminal() {
    return terminal;
  }

  /** The lower-case, dashed form used in output: {@code awaiting-approval}. */
  public String display() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }
}
