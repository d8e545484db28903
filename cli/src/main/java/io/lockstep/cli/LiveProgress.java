package io.lockstep.cli;

import io.lockstep.cli.Terminal.Symbol;
import io.lockstep.engine.RunEvent;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
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
  private final Map<String, Deque<String>> logs = new HashMap<>();
  private final ScheduledExecutorService ticker;
  private static final int LOG_TAIL = 5;
  private String lastLog = "";
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
    switch (e.type()) {
      case STEP_LOG -> {
        // Logs stay in the status line; a failing step shows its last lines below.
        Deque<String> tail =
            logs.computeIfAbsent(String.valueOf(e.stepId()), k -> new ArrayDeque<>());
        if (tail.size() == LOG_TAIL) {
          tail.removeFirst();
        }
        tail.addLast(lines.format(e));
        lastLog = e.message() == null ? "" : e.message().strip();
      }
      case STEP_STARTED, COMPENSATION_STARTED -> lastLog = "";
      case STEP_FAILED, COMPENSATION_FAILED -> {
        Deque<String> tail = logs.remove(String.valueOf(e.stepId()));
        if (tail != null) {
          tail.forEach(out::println);
        }
        out.println(lines.format(e));
      }
      default -> {
        logs.remove(String.valueOf(e.stepId()));
        lastLog = "";
        out.println(lines.format(e));
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

  /** A status line that wraps cannot be redrawn in place: keep it within the terminal width. */
  private static int width() {
    try {
      return Math.max(40, Integer.parseInt(System.getenv().getOrDefault("COLUMNS", "100")) - 1);
    } catch (NumberFormatException e) {
      return 99;
    }
  }

  private String statusLine() {
    String line = fullStatusLine();
    int max = width();
    return line.length() <= max ? line : line.substring(0, max - 1) + "…";
  }

  private String fullStatusLine() {
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
        + where
        + (lastLog.isEmpty() ? "" : "  " + terminal.sym(Symbol.PIPE) + " " + shorten(lastLog, 60));
  }

  private static String shorten(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "…";
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
