package io.lockstep.engine.model;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A string with secret parts, such as {@code "postgres://app:${secret('dbPassword')}@db/portal"}.
 * Its {@link #toString()} shows the secret names, never values.
 */
public record Template(List<Object> parts) {

  public Template {
    parts = List.copyOf(parts);
  }

  @Override
  public String toString() {
    return parts.stream().map(String::valueOf).collect(Collectors.joining());
  }
}
