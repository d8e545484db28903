package io.lockstep.database;

import java.io.IOException;

/** A tool's program does not exist where the transport runs tools. */
public class ToolNotFoundException extends IOException {

  private static final long serialVersionUID = 1L;

  private final String program;

  /**
   * @param program the program as it was given
   * @param where where it was looked for, such as {@code on PATH}, or empty for a path
   */
  public ToolNotFoundException(String program, String where) {
    super(program + " not found" + (where.isEmpty() ? "" : " " + where));
    this.program = program;
  }

  public String program() {
    return program;
  }
}
