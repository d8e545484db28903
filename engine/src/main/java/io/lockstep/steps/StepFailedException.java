package io.lockstep.steps;

/**
 * A step did its work and found the result wrong: a command exited with an unexpected code, a
 * health check never turned healthy, a log was not clean. The message is written for the operator.
 */
public class StepFailedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public StepFailedException(String message) {
    super(message);
  }

  public StepFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
