package io.lockstep.engine.spi;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One durable fact about a run. {@code seq} starts at 1 and has no gaps; {@code stepId} is null for
 * run-level records. {@code data} holds JSON values only and never a secret value.
 */
public record JournalRecord(
    long seq, Instant at, RecordType type, String stepId, Map<String, Object> data) {

  public JournalRecord {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(type, "type");
    data =
        data == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(data));
  }

  /** A string value from data, or {@code null}. */
  public String text(String key) {
    Object value = data.get(key);
    return value == null ? null : value.toString();
  }
}
