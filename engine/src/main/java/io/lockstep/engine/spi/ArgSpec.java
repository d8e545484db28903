package io.lockstep.engine.spi;

import java.util.Objects;

/**
 * One argument of a {@link StepType}.
 *
 * @param name argument name as written in playbooks
 * @param type expected Java type: {@code String.class}, {@code Integer.class}, {@code
 *     Boolean.class}, {@code java.time.Duration.class} (written {@code '30s'}, {@code '2m'}),
 *     {@code java.util.List.class}, {@code java.util.Map.class}; a {@code String} argument also
 *     accepts a secret reference or a template
 * @param required whether the playbook must give it
 * @param defaultValue used when absent and not required, or {@code null}
 * @param description one line for errors and IDE descriptors
 */
public record ArgSpec(
    String name, Class<?> type, boolean required, Object defaultValue, String description) {

  public ArgSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
  }

  public static ArgSpec required(String name, Class<?> type, String description) {
    return new ArgSpec(name, type, true, null, description);
  }

  public static ArgSpec optional(
      String name, Class<?> type, Object defaultValue, String description) {
    return new ArgSpec(name, type, false, defaultValue, description);
  }
}
