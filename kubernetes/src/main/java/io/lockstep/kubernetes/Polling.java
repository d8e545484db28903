package io.lockstep.kubernetes;

import io.lockstep.engine.model.StepContext;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waiting for the cluster to reach a state, within a step's {@code timeout}, cancellable. */
final class Polling {

  /** How often a cancelled step notices while it sleeps between two reads. */
  private static final long SLICE_MILLIS = 100;

  private Polling() {}

  /**
   * Checks {@code reached} every {@code interval} until it holds or {@code timeout} has passed.
   *
   * @return whether the state was reached; {@code false} means the time ran out
   * @throws java.util.concurrent.CancellationException when the step is cancelled meanwhile
   */
  static boolean until(
      StepContext ctx, Duration timeout, Duration interval, BooleanSupplier reached)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      ctx.cancellation().throwIfCancelled();
      if (reached.getAsBoolean()) {
        return true;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      long sleep = Math.min(interval.toNanos(), left) / 1_000_000 + 1;
      for (long slept = 0; slept < sleep; slept += SLICE_MILLIS) {
        ctx.cancellation().throwIfCancelled();
        Thread.sleep(Math.min(SLICE_MILLIS, sleep - slept));
      }
    }
  }
}
