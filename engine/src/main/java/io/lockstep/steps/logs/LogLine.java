package io.lockstep.steps.logs;

/** A line of a log with its 1-based number. */
public record LogLine(long number, String text) {

  @Override
  public String toString() {
    return number + ": " + text;
  }
}
