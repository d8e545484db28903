package io.lockstep.engine.model;

import java.util.Objects;

/**
 * How a finished step is undone during rollback.
 *
 * <ul>
 *   <li>{@link #none()}: the step changed nothing (a check), there is nothing to undo;
 *   <li>{@link #of(String, Action)}: run this action; it reads the step's outputs through {@link
 *       StepContext#ownOutputs()};
 *   <li>{@link #irreversible(String)}: the effect cannot be undone; the plan says so and why;
 *   <li>{@link #undeclared()}: the step changes things (a command, Groovy code) but nobody said how
 *       to undo it; plans and rollback reports say that its effect stays, instead of calling it a
 *       check.
 * </ul>
 *
 * A compensation that loses data (a database restore discards writes made after the backup) carries
 * a {@code dataLossWarning} that {@code plan} prints before anything runs.
 */
public final class Compensation {

  /** The three kinds of compensation. */
  public enum Kind {
    NONE,
    ACTION,
    IRREVERSIBLE,
    UNDECLARED
  }

  private static final Compensation UNDECLARED =
      new Compensation(
          Kind.UNDECLARED,
          "no undo declared: a rollback leaves its effect in place",
          null,
          null,
          RetryPolicy.NONE);

  private static final Compensation NONE =
      new Compensation(Kind.NONE, "nothing to undo", null, null, RetryPolicy.NONE);

  private final Kind kind;
  private final String description;
  private final Action action;
  private final String dataLossWarning;
  private final RetryPolicy retry;

  private Compensation(
      Kind kind, String description, Action action, String dataLossWarning, RetryPolicy retry) {
    this.kind = kind;
    this.description = Objects.requireNonNull(description, "description");
    this.action = action;
    this.dataLossWarning = dataLossWarning;
    this.retry = Objects.requireNonNull(retry, "retry");
  }

  public static Compensation none() {
    return NONE;
  }

  /** The step has an effect but no undo was declared (the default of effectful step types). */
  public static Compensation undeclared() {
    return UNDECLARED;
  }

  public static Compensation of(String description, Action action) {
    return new Compensation(
        Kind.ACTION, description, Objects.requireNonNull(action, "action"), null, RetryPolicy.NONE);
  }

  public static Compensation irreversible(String reason) {
    return new Compensation(Kind.IRREVERSIBLE, reason, null, null, RetryPolicy.NONE);
  }

  /** The same compensation, with a warning that running it discards data. */
  public Compensation withDataLossWarning(String warning) {
    return new Compensation(kind, description, action, warning, retry);
  }

  /** The same compensation, retried by this policy before the rollback gives up. */
  public Compensation withRetry(RetryPolicy policy) {
    return new Compensation(kind, description, action, dataLossWarning, policy);
  }

  public Kind kind() {
    return kind;
  }

  public String description() {
    return description;
  }

  /** The undo action; only for {@link Kind#ACTION}. */
  public Action action() {
    if (action == null) {
      throw new IllegalStateException("compensation of kind " + kind + " has no action");
    }
    return action;
  }

  /** Warning shown in plans, or {@code null}. */
  public String dataLossWarning() {
    return dataLossWarning;
  }

  public RetryPolicy retry() {
    return retry;
  }

  @Override
  public String toString() {
    return kind + ": " + description;
  }
}
