package io.lockstep.engine.internal;

import java.lang.reflect.Array;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns step outputs into plain JSON values before they are journaled, so that a run and its resume
 * see the same values. Text-like values (Groovy strings, paths, instants) become strings; anything
 * else that is not a number, boolean, list or map is refused with the output's name.
 */
final class JsonValues {

  private JsonValues() {}

  static Map<String, Object> outputs(Map<String, ?> outputs) {
    if (outputs == null) {
      return Map.of();
    }
    Map<String, Object> plain = new LinkedHashMap<>();
    outputs.forEach((name, value) -> plain.put(String.valueOf(name), plain(name, value)));
    return plain;
  }

  private static Object plain(String path, Object value) {
    if (value == null || value instanceof Boolean || value instanceof String) {
      return value;
    }
    if (value instanceof Number number) {
      return number instanceof Double || number instanceof Float
          ? number.doubleValue()
          : number instanceof java.math.BigDecimal ? number : number.longValue();
    }
    if (value instanceof CharSequence
        || value instanceof Path
        || value instanceof Instant
        || value instanceof Duration
        || value instanceof Enum<?>) {
      return value.toString();
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> plain = new LinkedHashMap<>();
      map.forEach((k, v) -> plain.put(String.valueOf(k), plain(path + "." + k, v)));
      return plain;
    }
    if (value instanceof Iterable<?> iterable) {
      List<Object> plain = new ArrayList<>();
      int i = 0;
      for (Object item : iterable) {
        plain.add(plain(path + "[" + i++ + "]", item));
      }
      return plain;
    }
    if (value.getClass().isArray()) {
      List<Object> plain = new ArrayList<>();
      for (int i = 0; i < Array.getLength(value); i++) {
        plain.add(plain(path + "[" + i + "]", Array.get(value, i)));
      }
      return plain;
    }
    throw new IllegalArgumentException(
        "output '"
            + path
            + "' is a "
            + value.getClass().getName()
            + "; outputs must be strings, numbers, booleans, lists or maps");
  }
}
