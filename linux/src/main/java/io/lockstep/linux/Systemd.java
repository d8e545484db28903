package io.lockstep.linux;

import io.lockstep.engine.model.StepContext;
import io.lockstep.ssh.RemoteHost;
import io.lockstep.steps.StepFailedException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;

/**
 * systemd over SSH: acting on a unit and waiting until it is active. A {@code Type=simple} unit is
 * {@code active} the moment its process starts, even when that process fails a second later, so a
 * unit counts as up only once it has stayed active, without a restart, for {@link #SETTLE}.
 */
final class Systemd {

  /** How long a unit must stay active, with the same main process, before it counts as up. */
  static final Duration SETTLE = Duration.ofSeconds(3);

  private static final long POLL_MILLIS = 500;

  private Systemd() {}

  /** {@code systemctl is-active UNIT}: active, inactive, activating, failed, ... */
  static String activeState(RemoteHost host, String unit) throws Exception {
    RemoteHost.Result r = host.run(List.of("systemctl", "is-active", unit), false, false);
    return r.stdout().isBlank() ? "unknown" : r.stdout().strip();
  }

  /** Runs {@code sudo systemctl ACTION UNIT}; fails with systemctl's message. */
  static void act(RemoteHost host, String action, String unit, String what) throws Exception {
    RemoteHost.Result r = host.run(List.of("systemctl", action, unit), true, true);
    if (!r.ok()) {
      throw new StepFailedException(
          what
              + ": systemctl "
              + action
              + " "
              + unit
              + " on "
              + host.address()
              + " failed"
              + r.failure()
              + status(host, unit));
    }
  }

  /**
   * Waits until the unit is active and stays so (same main process id) for {@link #SETTLE}; fails
   * after {@code within} with the unit's status.
   *
   * @return the active state, {@code active}
   */
  static String awaitActive(
      StepContext ctx, RemoteHost host, String unit, Duration within, String what)
      throws Exception {
    long deadline = System.nanoTime() + within.toNanos();
    String seenPid = null;
    long activeSince = 0;
    String state = "unknown";
    while (true) {
      RemoteHost.Result r =
          host.run(
              List.of("systemctl", "show", "-p", "ActiveState", "-p", "MainPID", unit),
              false,
              false);
      // KEY=value lines, in systemd's own order rather than the order asked for
      Map<String, String> values = new HashMap<>();
      r.stdout()
          .lines()
          .filter(l -> l.contains("="))
          .forEach(
              l -> values.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1)));
      state = values.getOrDefault("ActiveState", "unknown");
      String pid = values.getOrDefault("MainPID", "");
      long now = System.nanoTime();
      if ("active".equals(state)) {
        if (!pid.equals(seenPid)) {
          seenPid = pid;
          activeSince = now;
        } else if (now - activeSince >= SETTLE.toNanos()) {
          return state;
        }
      } else {
        seenPid = null;
      }
      if (now > deadline || "failed".equals(state)) {
        break;
      }
      if (ctx.cancellation().isCancelled()) {
        throw new CancellationException(ctx.cancellation().reason());
      }
      Thread.sleep(POLL_MILLIS);
    }
    throw new StepFailedException(
        what
            + ": "
            + unit
            + " on "
            + host.address()
            + " is not active within "
            + within.toSeconds()
            + "s (state "
            + state
            + ")"
            + status(host, unit));
  }

  /**
   * "; systemctl status: ..." and the unit's own last output lines, for failure messages. The
   * journal lines {@code systemctl status} shows are mostly systemd's own after a few restarts
   * ("Scheduled restart job"), so the program's lines, which say why, are read separately.
   */
  static String status(RemoteHost host, String unit) throws Exception {
    RemoteHost.Result r =
        host.run(List.of("systemctl", "status", "--no-pager", "-n", "0", unit), true, false);
    String text = r.stdout().isBlank() ? r.stderr() : r.stdout();
    RemoteHost.Result log =
        host.run(
            List.of(
                "journalctl",
                "_SYSTEMD_UNIT=" + unit,
                "-n",
                "10",
                "--no-pager",
                "-q",
                "-o",
                "short-iso"),
            true,
            false);
    String lines = log.ok() ? log.stdout().strip() : "";
    return (text.isBlank() ? "" : "; systemctl status:\n" + text.strip())
        + (lines.isEmpty() ? "" : "\nits last output lines:\n" + lines);
  }
}
