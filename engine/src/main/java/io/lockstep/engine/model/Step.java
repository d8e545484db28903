package io.lockstep.engine.model;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A unit of work with a stable id. Build one with {@link #builder(String, Action)}:
 *
 * <pre>{@code
 * Step backup = Step.builder("backup/data", ctx -> Map.of("path", copy(ctx)))
 *     .type("backupFiles")
 *     .describe("copy /srv/app/data to the run's artifacts")
 *     .compensation(Compensation.of("restore /srv/app/data", ctx -> restore(ctx.ownOutputs())))
 *     .idempotent(true)
 *     .build();
 * }</pre>
 */
public final class Step implements Node {

  private final String id;
  private final String label;
  private final String type;
  private final String description;
  private final Map<String, Object> arguments;
  private final Action action;
  private final Compensation compensation;
  private final Probe probe;
  private final boolean idempotent;
  private final RetryPolicy retry;
  private final Duration timeout;
  private final Target target;

  private Step(Builder b) {
    this.id = b.id;
    this.label = b.label == null ? lastSegment(b.id) : b.label;
    this.type = b.type;
    this.description = b.description == null ? b.type : b.description;
    this.arguments = Map.copyOf(b.arguments);
    this.action = b.action;
    this.compensation = b.compensation;
    this.probe = b.probe;
    this.idempotent = b.idempotent;
    this.retry = b.retry;
    this.timeout = b.timeout;
    this.target = b.target;
  }

  public static Builder builder(String id, Action action) {
    return new Builder(id, action);
  }

  /** A builder holding this step's settings, to derive a variant (for example another id). */
  public Builder toBuilder() {
    Builder b = new Builder(id, action);
    b.label = label;
    b.type = type;
    b.description = description;
    b.arguments.putAll(arguments);
    b.compensation = compensation;
    b.probe = probe;
    b.idempotent = idempotent;
    b.retry = retry;
    b.timeout = timeout;
    b.target = target;
    return b;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public String label() {
    return label;
  }

  /** The step type name, such as {@code command} or {@code backupFiles}. */
  public String type() {
    return type;
  }

  /** One line saying what the step does, with its resolved arguments, for plans and reports. */
  public String description() {
    return description;
  }

  /** Resolved arguments, shown by {@code plan}; never contains secret values. */
  public Map<String, Object> arguments() {
    return arguments;
  }

  public Action action() {
    return action;
  }

  public Compensation compensation() {
    return compensation;
  }

  /** The probe, or {@code null}. */
  public Probe probe() {
    return probe;
  }

  public boolean idempotent() {
    return idempotent;
  }

  public RetryPolicy retry() {
    return retry;
  }

  /** Time allowed per attempt, or {@code null} for no limit. */
  public Duration timeout() {
    return timeout;
  }

  /** The target this step acts on, or {@code null}. */
  public Target target() {
    return target;
  }

  private static String lastSegment(String id) {
    String path = id.contains("@") ? id.substring(0, id.indexOf('@')) : id;
    return path.substring(path.lastIndexOf('/') + 1);
  }

  @Override
  public String toString() {
    return "Step[" + id + "]";
  }

  /** Builder for {@link Step}; {@link #build()} validates. */
  public static final class Builder {
    private String id;
    private final Action action;
    private String label;
    private String type = "custom";
    private String description;
    private final Map<String, Object> arguments = new LinkedHashMap<>();
    private Compensation compensation = Compensation.none();
    private Probe probe;
    private boolean idempotent;
    private RetryPolicy retry = RetryPolicy.NONE;
    private Duration timeout;
    private Target target;

    private Builder(String id, Action action) {
      this.id = Objects.requireNonNull(id, "id");
      this.action = Objects.requireNonNull(action, "action");
    }

    /** Replaces the id, for example to bind a template step to a target. */
    public Builder id(String id) {
      this.id = Objects.requireNonNull(id, "id");
      return this;
    }

    public Builder label(String label) {
      this.label = label;
      return this;
    }

    public Builder type(String type) {
      this.type = Objects.requireNonNull(type, "type");
      return this;
    }

    public Builder describe(String description) {
      this.description = description;
      return this;
    }

    public Builder argument(String name, Object value) {
      arguments.put(name, value);
      return this;
    }

    public Builder compensation(Compensation compensation) {
      this.compensation = Objects.requireNonNull(compensation, "compensation");
      return this;
    }

    public Builder probe(Probe probe) {
      this.probe = probe;
      return this;
    }

    public Builder idempotent(boolean idempotent) {
      this.idempotent = idempotent;
      return this;
    }

    public Builder retry(RetryPolicy retry) {
      this.retry = Objects.requireNonNull(retry, "retry");
      return this;
    }

    public Builder timeout(Duration timeout) {
      if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
        throw new IllegalArgumentException("timeout must be positive");
      }
      this.timeout = timeout;
      return this;
    }

    public Builder target(Target target) {
      this.target = target;
      return this;
    }

    public Step build() {
      if (id.isBlank()) {
        throw new IllegalArgumentException("step id must not be blank");
      }
      return new Step(this);
    }
  }
}
