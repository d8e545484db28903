package io.lockstep.engine.internal;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Replaces every secret value the run resolved with {@code ****} in text and in JSON-like values.
 * Everything that leaves a step (log lines, errors, outputs, events, journal data) passes through
 * it.
 */
public final class Masker {

  static final String MASK = "****";

  private final Set<String> secrets = ConcurrentHashMap.newKeySet();

  /** Registers a resolved secret value; empty values are ignored (they would mask everything). */
  public void register(String value) {
    if (value != null && !value.isEmpty()) {
      secrets.add(value);
    }
  }

  public String mask(String text) {
    if (text == null || secrets.isEmpty()) {
      return text;
    }
    String masked = text;
    // Longest first, so a secret containing another is masked whole.
    List<String> ordered =
        secrets.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();
    for (String secret : ordered) {
      masked = masked.replace(secret, MASK);
    }
    return masked;
  }

  /** Masks strings inside maps and lists; other values are returned as they are. */
  public Object maskValue(Object value) {
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
  public Map<String, Object> maskMap(Map<String, Object> map) {
    return (Map<String, Object>) maskValue(map);
  }
}
