package io.lockstep.engine.model;

import java.util.Objects;

/**
 * A secret by name, written {@code secret('dbPassword')} in playbooks. Resolved only inside a
 * running action ({@link StepContext#resolve(Object)}); plans, journals and reports show the name.
 */
public record SecretRef(String name) {

  public SecretRef {
    Objects.requireNonNull(name, "name");
  }

  @Override
  public String toString() {
    return "${secret:" + name + "}";
  }
}
