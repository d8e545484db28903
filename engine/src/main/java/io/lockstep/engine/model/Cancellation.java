package io.lockstep.engine.model;

import java.util.concurrent.CancellationException;

/**
 * Cooperative cancellation for long actions. The engine also interrupts the action's thread; an
 * action that blocks without checking either is abandoned when its timeout expires, so the engine
 * never hangs on it.
 */
public interface Cancellation {

  /**
   * A cancellation that never comes: for clean-up work (killing a process, deleting a temporary
   * file) that must run while the step it belongs to is being cancelled.
   */
  Cancellation NEVER =
      new Cancellation() {
        @Override
        public boolean isCancelled() {
          return false;
        }

        @Override
        public String reason() {
          return null;
        }
      };

  boolean isCancelled();

  /** Why the step was cancelled, or {@code null}. */
  String reason();

  default void throwIfCancelled() {
    if (isCancelled()) {
      throw new CancellationException(reason());
    }
  }
}
