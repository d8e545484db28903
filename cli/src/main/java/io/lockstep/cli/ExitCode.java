package io.lockstep.cli;

import io.lockstep.engine.RunStatus;

/**
 * The exit codes of {@code lockstep}. Scripts and CI jobs branch on them, so they never change
 * meaning; see {@code cli/README.md}.
 */
public final class ExitCode {

  /** The run succeeded, or the command did what was asked. */
  public static final int OK = 0;

  /** A bug in lockstep: the stack trace is written to a file in the store. */
  public static final int INTERNAL_ERROR = 1;

  /** Usage error, invalid playbook or environment, unknown run: nothing was run. */
  public static final int INVALID_INPUT = 2;

  /** The run failed and was rolled back: every finished step was undone. */
  public static final int ROLLED_BACK = 3;

  /** A compensation failed: part of the run is still in place. */
  public static final int COMPENSATION_FAILED = 4;

  /** The run failed and was not rolled back ({@code --no-rollback}). */
  public static final int FAILED = 5;

  /** The run is paused at an approval gate. */
  public static final int AWAITING_APPROVAL = 10;

  /** A step was in flight when the engine stopped; an operator must decide it. */
  public static final int NEEDS_DECISION = 11;

  /** Another run holds the lock for this playbook and environment. */
  public static final int LOCKED = 12;

  private ExitCode() {}

  /** The exit code for a run that ended (or paused) in this status. */
  public static int of(RunStatus status) {
    return switch (status) {
      case SUCCEEDED -> OK;
      case ROLLED_BACK -> ROLLED_BACK;
      case COMPENSATION_FAILED -> COMPENSATION_FAILED;
      case FAILED -> FAILED;
      case AWAITING_APPROVAL -> AWAITING_APPROVAL;
      case NEEDS_DECISION -> NEEDS_DECISION;
      // The engine returns only when a run stops; a run still moving here is a bug.
      case RUNNING, ROLLING_BACK -> INTERNAL_ERROR;
    };
  }
}
