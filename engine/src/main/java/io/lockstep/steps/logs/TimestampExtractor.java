package io.lockstep.steps.logs;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;

/**
 * Finds when a log line was written. {@link #standard()} recognises what the services we upgrade
 * write:
 *
 * <ul>
 *   <li>an ISO-8601 timestamp at the start of the line, optionally in brackets: {@code
 *       2024-07-07T08:15:03.123Z ...}, {@code [2024-07-07 08:15:03,123] ...} (Docker {@code
 *       --timestamps}, journalctl {@code -o short-iso}, most Java and Python loggers);
 *   <li>a {@code time=}, {@code ts=} or {@code timestamp=} logfmt field, quoted or not, or the same
 *       JSON keys, holding ISO-8601 ({@code time="2024-07-07T08:15:03Z"}, logrus) or a syslog stamp
 *       ({@code time="Jul 7 08:15:03"}, the Tyk gateway);
 *   <li>a syslog stamp at the start of the line ({@code Jul 7 08:15:03 host app[12]: ...}).
 * </ul>
 *
 * Times without an offset are read in the given zone; a syslog stamp, which has no year, takes the
 * year that puts it closest before now. A standard extractor belongs to one scanner: it is not
 * thread-safe.
 */
@FunctionalInterface
public interface TimestampExtractor {

  /** When {@code line} was written, or {@code null} when it carries no timestamp. */
  Instant extract(String line);

  /** The standard formats, local times in the system's zone. */
  static TimestampExtractor standard() {
    return standard(ZoneId.systemDefault());
  }

  /** The standard formats, local times in {@code zone}. */
  static TimestampExtractor standard(ZoneId zone) {
    return new StandardTimestamps(zone, Clock.systemUTC());
  }
}
