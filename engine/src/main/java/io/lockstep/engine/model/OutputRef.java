package io.lockstep.engine.model;

import java.util.Objects;

/**
 * An output of an earlier step, written {@code output('preflight/version', 'body')} in playbooks.
 * Like a {@link SecretRef} it is resolved only inside a running action ({@link
 * StepContext#resolve(Object)}), from the journaled outputs, so it works the same after a resume: a
 * rollback can check that the version noted before the upgrade serves again.
 */
public record OutputRef(String stepId, String key) {

  public OutputRef {
    Objects.requireNonNull(stepId, "stepId");
    Objects.requireNonNull(key, "key");
  }

  @Override
  public String toString() {
    return "${output:" + stepId + "." + key + "}";
  }
}
