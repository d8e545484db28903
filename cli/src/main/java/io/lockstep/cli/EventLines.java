package io.lockstep.cli;

import io.lockstep.cli.Terminal.Symbol;
import io.lockstep.engine.RunEvent;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * One line per run event for people: {@code 12:00:01 ✓ upgrade/stop 0.2s}. Event values are already
 * masked by the engine, so nothing here can leak a secret.
 */
final class EventLines {

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

  private final Terminal terminal;

  EventLines(Terminal terminal) {
    this.terminal = terminal;
  }

  /** The line for this event, or {@code null} for events that have none. */
  String format(RunEvent e) {
    String body =
        switch (e.type()) {
          case RUN_STARTED -> sym(Symbol.RUN) + " run " + e.runId() + suffix(e.message());
          case RUN_RESUMED -> sym(Symbol.RUN) + " resume " + e.runId() + suffix(e.message());
          case STEP_STARTED ->
              sym(Symbol.START)
                  + " "
                  + e.stepId()
                  + (e.attempt() > 1 ? "  attempt " + e.attempt() : "");
          case STEP_SKIPPED -> sym(Symbol.SKIP) + " " + e.stepId() + "  done earlier, skipped";
          case STEP_FINISHED ->
              sym(Symbol.OK) + " " + e.stepId() + "  " + Durations.format(e.durationMs());
          case STEP_FAILED ->
              sym(Symbol.FAIL)
                  + " "
                  + e.stepId()
                  + "  "
                  + Durations.format(e.durationMs())
                  + suffix(e.message());
          case STEP_RETRYING ->
              sym(Symbol.RETRY) + " " + e.stepId() + "  retrying" + suffix(e.message());
          case STEP_LOG -> "  " + sym(Symbol.PIPE) + " " + e.message();
          case STEP_DECIDED -> sym(Symbol.DECIDE) + " " + e.stepId() + suffix(e.message());
          case APPROVAL_REQUIRED ->
              sym(Symbol.PAUSE) + " " + e.stepId() + "  awaiting approval" + suffix(e.message());
          case APPROVAL_GRANTED ->
              sym(Symbol.OK) + " " + e.stepId() + "  approved" + suffix(e.message());
          case ROLLBACK_STARTED -> sym(Symbol.UNDO) + " rollback" + suffix(e.message());
          case COMPENSATION_STARTED -> sym(Symbol.UNDO) + " compensate " + e.stepId();
          case COMPENSATION_FINISHED ->
              sym(Symbol.UNDO)
                  + " "
                  + sym(Symbol.OK)
                  + " undone "
                  + e.stepId()
                  + "  "
                  + Durations.format(e.durationMs());
          case COMPENSATION_FAILED ->
              sym(Symbol.UNDO)
                  + " "
                  + sym(Symbol.FAIL)
                  + " compensation of "
                  + e.stepId()
                  + " failed"
                  + suffix(e.message());
          case RUN_FINISHED ->
              sym(Symbol.END)
                  + " run "
                  + e.runId()
                  + " "
                  + (e.status() == null ? "stopped" : e.status().display());
        };
    return TIME.format(e.at()) + "  " + body;
  }

  private String sym(Symbol symbol) {
    return terminal.sym(symbol);
  }

  private static String suffix(String message) {
    return message == null || message.isBlank() ? "" : "  " + message.strip();
  }
}
