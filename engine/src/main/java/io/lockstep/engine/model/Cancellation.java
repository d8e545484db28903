package io.lockstep.engine.model;

import java.util.concurrent.CancellationException;

/**
 * Cooperative cancellation for long actions. The engine also interrupts the action's thread; an
 * action that blocks without checking either is abandoned when its timeout expires, so the engine
 * never hangs on it.
 */
public interface Cancellation {

  boolean isCancelled();

  /** Why the step was cancelled, or {@code null}. */
  String reason();

  default void throwIfCancelled() {
    if (isCancelled()) {
      throw new CancellationException(reason());
    }
  }
}
