package io.lockstep.database;

/**
 * How a tool ended.
 *
 * @param exitCode its exit code
 * @param stdout the last 64 KiB of its output, when the call gave no sink for it; else empty
 * @param stderr the last 64 KiB of its error output
 */
public record ToolResult(int exitCode, String stdout, String stderr) {

  /**
   * {@code exited with 1: <why>}, or {@code exited with 137 (killed by signal 9)}: a process killed
   * by a signal reports 128 plus the signal's number.
   *
   * @param why the error in one line, or empty
   */
  public String exitedWith(String why) {
    return "exited with "
        + exitCode
        + (exitCode > 128 && exitCode < 160 ? " (killed by signal " + (exitCode - 128) + ")" : "")
        + (why == null || why.isBlank() ? "" : ": " + why);
  }

  /** The last line of stderr that is not blank, or an empty string. */
  public String lastStderrLine() {
    String[] lines = stderr.strip().split("\\R");
    return lines.length == 0 ? "" : lines[lines.length - 1].strip();
  }
}
