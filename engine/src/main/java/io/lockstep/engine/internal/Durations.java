package io.lockstep.engine.internal;

import java.time.Duration;
import java.util.Locale;

/** Short human forms of durations: {@code 250ms}, {@code 1.5s}, {@code 2m05s}. */
final class Durations {

  private Durations() {}

  static String format(Duration duration) {
    long millis = duration.toMillis();
    if (millis < 1000) {
      return millis + "ms";
    }
    if (millis < 60_000) {
      double seconds = millis / 1000.0;
      return (seconds == Math.floor(seconds)
              ? String.valueOf((long) seconds)
              : String.format(Locale.ROOT, "%.1f", seconds))
          + "s";
    }
    long totalSeconds = millis / 1000;
    return String.format(Locale.ROOT, "%dm%02ds", totalSeconds / 60, totalSeconds % 60);
  }
}
