package io.lockstep.steps.logs;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The formats of {@link TimestampExtractor#standard()}. */
final class StandardTimestamps implements TimestampExtractor {

  private static final Pattern STAMP =
      Pattern.compile(
          "(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) {1,2}(\\d{1,2})"
              + " (\\d{2}):(\\d{2}):(\\d{2})(?:\\.(\\d{1,9}))?");

  private static final String MONTHS = "JanFebMarAprMayJunJulAugSepOctNovDec";

  private static final String[] FIELDS = {
    "time=", "ts=", "timestamp=", "\"time\":", "\"ts\":", "\"timestamp\":"
  };

  private final ZoneId zone;
  private final ZoneOffset fixedOffset;
  private final Clock clock;
  private ZonedDateTime cachedNow;
  private long cachedAt;

  StandardTimestamps(ZoneId zone, Clock clock) {
    this.zone = zone;
    this.fixedOffset =
        zone.getRules().isFixedOffset() ? zone.getRules().getOffset(Instant.EPOCH) : null;
    this.clock = clock;
  }

  @Override
  public Instant extract(String line) {
    if (line.isEmpty()) {
      return null;
    }
    int start = line.charAt(0) == '[' ? 1 : 0;
    Instant at = parseAt(line, start);
    if (at != null) {
      return at;
    }
    for (String field : FIELDS) {
      int i = line.indexOf(field);
      while (i >= 0) {
        if (i == 0 || !Character.isLetterOrDigit(line.charAt(i - 1)) && line.charAt(i - 1) != '_') {
          int value = i + field.length();
          while (value < line.length() && line.charAt(value) == ' ') {
            value++;
          }
          if (value < line.length() && line.charAt(value) == '"') {
            value++;
          }
          at = parseAt(line, value);
          if (at != null) {
            return at;
          }
        }
        i = line.indexOf(field, i + 1);
      }
    }
    return null;
  }

  private Instant parseAt(String line, int at) {
    if (at >= line.length()) {
      return null;
    }
    char first = line.charAt(at);
    try {
      if (first >= '0' && first <= '9') {
        return iso(line, at);
      }
      if (first >= 'A' && first <= 'S') {
        Matcher m = STAMP.matcher(line).region(at, line.length());
        return m.lookingAt() ? stamp(m) : null;
      }
    } catch (DateTimeException e) {
      return null;
    }
    return null;
  }

  /**
   * {@code yyyy-MM-dd[T ]HH:mm:ss[.fraction][offset]} at {@code at}, parsed by hand: this runs for
   * every line of a log.
   */
  private Instant iso(String s, int at) {
    int n = s.length();
    if (at + 19 > n
        || s.charAt(at + 4) != '-'
        || s.charAt(at + 7) != '-'
        || s.charAt(at + 10) != 'T' && s.charAt(at + 10) != ' '
        || s.charAt(at + 13) != ':'
        || s.charAt(at + 16) != ':') {
      return null;
    }
    int year = digits(s, at, 4);
    int month = digits(s, at + 5, 2);
    int day = digits(s, at + 8, 2);
    int hour = digits(s, at + 11, 2);
    int minute = digits(s, at + 14, 2);
    int second = digits(s, at + 17, 2);
    if ((year | month | day | hour | minute | second) < 0) {
      return null;
    }
    int i = at + 19;
    int nanos = 0;
    if (i + 1 < n && (s.charAt(i) == '.' || s.charAt(i) == ',') && isDigit(s.charAt(i + 1))) {
      i++;
      int scale = 100_000_000;
      for (; i < n && isDigit(s.charAt(i)); i++) {
        nanos += (s.charAt(i) - '0') * scale;
        scale /= 10;
      }
    }
    LocalDateTime local = LocalDateTime.of(year, month, day, hour, minute, second, nanos);
    if (i < n
        && s.charAt(i) == ' '
        && i + 3 < n
        && (s.charAt(i + 1) == '+' || s.charAt(i + 1) == '-')) {
      i++;
    }
    if (i < n && s.charAt(i) == 'Z') {
      return local.toInstant(ZoneOffset.UTC);
    }
    if (i + 2 < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
      int hours = digits(s, i + 1, 2);
      int j = i + 3;
      if (j < n && s.charAt(j) == ':') {
        j++;
      }
      int minutes = j + 2 <= n ? digits(s, j, 2) : -1;
      if (hours >= 0) {
        int sign = s.charAt(i) == '-' ? -1 : 1;
        int total = sign * (hours * 3600 + Math.max(0, minutes) * 60);
        return local.toInstant(ZoneOffset.ofTotalSeconds(total));
      }
    }
    return fixedOffset != null ? local.toInstant(fixedOffset) : local.atZone(zone).toInstant();
  }

  /**
   * Now in {@code zone}, read at most once a minute: only the year and "not in the future" use it.
   */
  private ZonedDateTime now() {
    long tick = System.nanoTime();
    if (cachedNow == null || tick - cachedAt > 60_000_000_000L) {
      cachedNow = ZonedDateTime.now(clock.withZone(zone));
      cachedAt = tick;
    }
    return cachedNow;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /** The decimal number of {@code count} digits at {@code at}, or -1. */
  private static int digits(String s, int at, int count) {
    int value = 0;
    for (int i = at; i < at + count; i++) {
      char c = s.charAt(i);
      if (!isDigit(c)) {
        return -1;
      }
      value = value * 10 + c - '0';
    }
    return value;
  }

  private Instant stamp(Matcher m) {
    int month = MONTHS.indexOf(m.group(1)) / 3 + 1;
    ZonedDateTime now = now();
    ZonedDateTime at =
        ZonedDateTime.of(
            now.getYear(),
            month,
            Integer.parseInt(m.group(2)),
            Integer.parseInt(m.group(3)),
            Integer.parseInt(m.group(4)),
            Integer.parseInt(m.group(5)),
            nanos(m.group(6)),
            zone);
    // no year in the stamp: a time far in the future was written last year
    if (at.isAfter(now.plusDays(1))) {
      at = at.minusYears(1);
    }
    return at.toInstant();
  }

  private static int nanos(String fraction) {
    if (fraction == null) {
      return 0;
    }
    int value = Integer.parseInt(fraction);
    for (int i = fraction.length(); i < 9; i++) {
      value *= 10;
    }
    return value;
  }
}
