package io.lockstep.engine.internal;

import java.security.SecureRandom;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/** Run ids that sort by start time and are short enough to type: {@code 20261124-041530-7f3a}. */
final class RunIds {

  private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
  private static final SecureRandom RANDOM = new SecureRandom();

  private RunIds() {}

  static String next() {
    return ZonedDateTime.now(ZoneOffset.UTC).format(FORMAT)
        + "-"
        + String.format("%04x", RANDOM.nextInt(0x10000));
  }
}
