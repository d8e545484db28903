package io.lockstep.cli;

import java.time.Duration;
import java.time.Instant;

/** Short durations for people: {@code 0.2s}, {@code 12.4s}, {@code 3m05s}, {@code 1h02m}. */
final class Durations {

  private Durations() {}

  static String format(long millis) {
    if (millis < 60_000) {
      return String.format(java.util.Locale.ROOT, "%.1fs", millis / 1000.0);
    }
    long seconds = millis / 1000;
    if (seconds < 3600) {
      return String.format(java.util.Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
    }
    return String.format(java.util.Locale.ROOT, "%dh%02dm", seconds / 3600, (seconds % 3600) / 60);
  }

  /** The time between two instants, or {@code -} when either is unknown. */
  static String between(Instant from, Instant to) {
    if (from == null || to == null) {
      return "-";
    }
    return format(Math.max(0, Duration.between(from, to).toMillis()));
  }
}
