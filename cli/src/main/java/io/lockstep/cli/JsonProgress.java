package io.lockstep.cli;

import io.lockstep.engine.RunEvent;
import java.io.PrintStream;

/** One JSON object per line per event, for tools. */
final class JsonProgress implements Progress {

  private final PrintStream out;

  JsonProgress(PrintStream out) {
    this.out = out;
  }

  @Override
  public synchronized void onEvent(RunEvent event) {
    out.println(Json.line(event));
    out.flush();
  }
}
