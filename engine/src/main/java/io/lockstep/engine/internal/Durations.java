package io.lockstep.engine.internal;

import java.time.Duration;

/** Short human forms of durations: {@code 250ms}, {@code 1.5s}, {@code 2m05s}. */
public final class Durations {

  private Durations() {}

  public static String format(Duration duration) {
    return formatMillis(duration.toMillis());
  }

  public static String formatMillis(long millis) {
    if (millis < 1000) {
      return millis + "ms";
    }
    if (millis < 60_000) {
      double seconds = millis / 1000.0;
      return (seconds == Math.floor(seconds)
              ? String.valueOf((long) seconds)
              : String.format("%.1f", seconds))
          + "s";
    }
    long totalSeconds = millis / 1000;
    return String.format("%dm%02ds", totalSeconds / 60, totalSeconds % 60);
  }
}
