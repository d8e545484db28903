package io.lockstep.engine.internal;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Replaces every secret value the run resolved with {@code ****} in text and in JSON-like values.
 * Everything that leaves a step (log lines, errors, outputs, events, journal data) passes through
 * it.
 */
final class Masker {

  static final String MASK = "****";

  /**
   * The secrets, longest first, so a secret containing another is masked whole. Sorted when a
   * secret is registered (rarely) rather than on every mask (every journal record and event).
   */
  private volatile List<String> secrets = List.of();

  /** Registers a resolved secret value; empty values are ignored (they would mask everything). */
  synchronized void register(String value) {
    if (value != null && !value.isEmpty() && !secrets.contains(value)) {
      secrets =
          Stream.concat(secrets.stream(), Stream.of(value))
              .sorted(Comparator.comparingInt(String::length).reversed())
              .toList();
    }
  }

  String mask(String text) {
    List<String> ordered = secrets;
    if (text == null || ordered.isEmpty()) {
      return text;
    }
    String masked = text;
    for (String secret : ordered) {
      masked = masked.replace(secret, MASK);
    }
    return masked;
  }

  /** Masks strings inside maps and lists; other values are returned as they are. */
  private Object maskValue(Object value) {
    if (value instanceof String text) {
      return mask(text);
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> masked = new LinkedHashMap<>();
      map.forEach((k, v) -> masked.put(String.valueOf(k), maskValue(v)));
      return masked;
    }
    if (value instanceof List<?> list) {
      return list.stream().map(this::maskValue).toList();
    }
    return value;
  }

  @SuppressWarnings("unchecked")
  Map<String, Object> maskMap(Map<String, Object> map) {
    return (Map<String, Object>) maskValue(map);
  }
}
