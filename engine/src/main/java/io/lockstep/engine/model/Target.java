package io.lockstep.engine.model;

import java.util.Map;
import java.util.Objects;

/** A machine, container, pod or service a step acts on, as declared in an environment. */
public record Target(String name, Map<String, Object> attributes) {

  public Target {
    Objects.requireNonNull(name, "name");
    attributes = Map.copyOf(attributes);
  }

  public static Target named(String name) {
    return new Target(name, Map.of());
  }

  /** An attribute as a string, or {@code null}. */
  public String attribute(String key) {
    Object value = attributes.get(key);
    return value == null ? null : value.toString();
  }
}
