package io.lockstep.dsl;

/**
 * One thing wrong with a playbook or environment, where it is, and what to do about it.
 *
 * @param file the file as the user named it
 * @param line 1-based, or 0 when unknown
 * @param column 1-based, or 0 when unknown
 * @param message what is wrong
 * @param hint what to do, or {@code null}
 */
public record Problem(String file, int line, int column, String message, String hint) {

  /** {@code file:line:col: message}, then the hint on its own line. */
  @Override
  public String toString() {
    String where = file + ":" + line + ":" + column + ": ";
    return hint == null ? where + message : where + message + "\n  hint: " + hint;
  }
}
