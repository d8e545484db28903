package io.lockstep.engine.internal;

import io.lockstep.engine.model.Cancellation;

/** A settable {@link Cancellation}; the first reason wins. */
final class CancellationToken implements Cancellation {

  private volatile String reason;

  synchronized void cancel(String why) {
    if (reason == null) {
      reason = why;
    }
  }

  @Override
  public boolean isCancelled() {
    return reason != null;
  }

  @Override
  public String reason() {
    return reason;
  }
}
