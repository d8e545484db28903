package io.lockstep.cli;

import io.lockstep.engine.RunListener;

/** Shows a run's events as they happen; closed before the run's summary is printed. */
interface Progress extends RunListener, AutoCloseable {

  @Override
  default void close() {}

  /**
   * JSON lines with {@code --json}; a live view on an interactive terminal; plain lines otherwise
   * (CI logs, pipes).
   */
  static Progress create(Terminal terminal, boolean json, int totalSteps) {
    if (json) {
      return new JsonProgress(terminal.out());
    }
    if (terminal.interactive()) {
      return new LiveProgress(terminal, totalSteps);
    }
    return new PlainProgress(terminal);
  }
}
