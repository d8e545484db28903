package io.lockstep.cli;

import io.lockstep.cli.Terminal.Symbol;
import io.lockstep.engine.RunEvent;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A status line redrawn in place (spinner, phase and step, done of total, elapsed), with the
 * lasting lines (finished, failed, undone, logs) scrolling above it.
 */
final class LiveProgress implements Progress {

  private static final String CLEAR_LINE = "\r\033[2K";
  private static final String[] UNICODE_SPINNER = {
    "⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"
  };
  private static final String[] ASCII_SPINNER = {"|", "/", "-", "\\"};

  private final Terminal terminal;
  private final PrintStream out;
  private final EventLines lines;
  private final int totalSteps;
  private final Instant began = Instant.now();
  private final Set<String> running = new LinkedHashSet<>();
  private final ScheduledExecutorService ticker;
  private int done;
  private int frame;
  private boolean rollingBack;
  private boolean closed;

  LiveProgress(Terminal terminal, int totalSteps) {
    this.terminal = terminal;
    this.out = terminal.out();
    this.lines = new EventLines(terminal);
    this.totalSteps = totalSteps;
    this.ticker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "lockstep-progress");
              t.setDaemon(true);
              return t;
            });
    ticker.scheduleAtFixedRate(this::tick, 100, 100, TimeUnit.MILLISECONDS);
  }

  @Override
  public synchronized void onEvent(RunEvent e) {
    if (closed) {
      return;
    }
    switch (e.type()) {
      case STEP_STARTED, COMPENSATION_STARTED -> running.add(e.stepId());
      case STEP_FINISHED, STEP_SKIPPED -> {
        running.remove(e.stepId());
        done++;
      }
      case STEP_FAILED, COMPENSATION_FINISHED, COMPENSATION_FAILED -> running.remove(e.stepId());
      case ROLLBACK_STARTED -> rollingBack = true;
      default -> {}
    }
    out.print(CLEAR_LINE);
    if (e.type() != RunEvent.Type.STEP_STARTED && e.type() != RunEvent.Type.COMPENSATION_STARTED) {
      String line = lines.format(e);
      if (line != null) {
        out.println(line);
      }
    }
    if (e.type() != RunEvent.Type.RUN_FINISHED) {
      out.print(statusLine());
    }
    out.flush();
  }

  private synchronized void tick() {
    if (closed) {
      return;
    }
    frame++;
    out.print(CLEAR_LINE + statusLine());
    out.flush();
  }

  private String statusLine() {
    String[] spinner = terminal.unicode() ? UNICODE_SPINNER : ASCII_SPINNER;
    String current = running.isEmpty() ? "" : running.iterator().next();
    String where;
    if (current.isEmpty()) {
      where = rollingBack ? "rolling back" : "";
    } else if (rollingBack) {
      where = terminal.sym(Symbol.UNDO) + " undoing " + current;
    } else {
      int slash = current.indexOf('/');
      where =
          slash < 0 ? current : current.substring(0, slash) + " › " + current.substring(slash + 1);
      if (!terminal.unicode()) {
        where = where.replace("›", ">");
      }
    }
    long seconds = Duration.between(began, Instant.now()).toSeconds();
    return spinner[frame % spinner.length]
        + " ["
        + done
        + "/"
        + totalSteps
        + "] "
        + String.format("%d:%02d", seconds / 60, seconds % 60)
        + "  "
        + where;
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      ticker.shutdownNow();
      out.print(CLEAR_LINE);
      out.flush();
    }
  }
}
