package io.lockstep.engine;

/**
 * A failure the user can act on: a message saying what is wrong and a hint saying what to do. The
 * CLI prints both without a stack trace.
 */
public class LockstepException extends RuntimeException {

  private final String hint;

  public LockstepException(String message, String hint) {
    super(message);
    this.hint = hint;
  }

  public LockstepException(String message, String hint, Throwable cause) {
    super(message, cause);
    this.hint = hint;
  }

  /** What the user should do, or {@code null}. */
  public String hint() {
    return hint;
  }
}
