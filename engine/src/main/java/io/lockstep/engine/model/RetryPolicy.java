package io.lockstep.engine.model;

import java.time.Duration;

/**
 * How often a failed attempt is repeated and how long to wait between attempts (exponential
 * backoff, capped).
 */
public record RetryPolicy(
    int maxAttempts, Duration initialDelay, double multiplier, Duration maxDelay) {

  public static final RetryPolicy NONE = new RetryPolicy(1, Duration.ZERO, 1.0, Duration.ZERO);

  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1");
    }
    if (multiplier < 1.0) {
      throw new IllegalArgumentException("multiplier must be at least 1.0");
    }
  }

  public static RetryPolicy attempts(int maxAttempts, Duration initialDelay) {
    return new RetryPolicy(maxAttempts, initialDelay, 2.0, initialDelay.multipliedBy(16));
  }

  /** Delay before attempt {@code nextAttempt} (2 for the first retry). */
  public Duration delayBefore(int nextAttempt) {
    double factor = Math.pow(multiplier, Math.max(0, nextAttempt - 2));
    long millis = (long) Math.min(initialDelay.toMillis() * factor, (double) maxDelay.toMillis());
    return Duration.ofMillis(Math.max(millis, initialDelay.toMillis()));
  }
}
