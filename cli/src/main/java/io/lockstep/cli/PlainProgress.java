package io.lockstep.cli;

import io.lockstep.engine.RunEvent;

/** One line per event, for logs and pipes. */
final class PlainProgress implements Progress {

  private final Terminal terminal;
  private final EventLines lines;

  PlainProgress(Terminal terminal) {
    this.terminal = terminal;
    this.lines = new EventLines(terminal);
  }

  @Override
  public synchronized void onEvent(RunEvent event) {
    String line = lines.format(event);
    if (line != null) {
      terminal.out().println(line);
    }
  }
}
