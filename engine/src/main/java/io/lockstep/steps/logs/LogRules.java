package io.lockstep.steps.logs;

import io.lockstep.steps.StepArgs;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a clean log looks like: no line matches an error pattern, every expected pattern matches
 * some line, counting only lines written at or after {@code since} when it is set.
 *
 * <pre>{@code
 * LogRules rules = LogRules.builder()
 *     .errors(LogRules.DEFAULT_ERRORS)
 *     .expect(List.of("AutoMigrate"))
 *     .since(ctx.stepStartedAt("upgrade/start"))
 *     .build();
 * }</pre>
 */
public final class LogRules {

  /** Panics, fatal errors, and error-level lines of bracketed and logfmt loggers. */
  public static final List<String> DEFAULT_ERRORS =
      List.of("(?i)\\bpanic\\b", "(?i)\\bfatal\\b", "(?i)\\[error\\]", "(?i)level=error");

  private final List<Pattern> errors;
  private final List<Pattern> expected;
  private final Instant since;
  private final Instant sinceSecond;
  private final TimestampExtractor timestamps;

  private LogRules(Builder b) {
    this.errors = b.errors;
    this.expected = b.expected;
    this.since = b.since;
    this.sinceSecond = b.since == null ? null : b.since.truncatedTo(ChronoUnit.SECONDS);
    this.timestamps = b.timestamps;
  }

  public static Builder builder() {
    return new Builder();
  }

  public List<Pattern> errors() {
    return errors;
  }

  public List<Pattern> expected() {
    return expected;
  }

  /** Only lines written at or after this instant count, or {@code null} for every line. */
  public Instant since() {
    return since;
  }

  public TimestampExtractor timestamps() {
    return timestamps;
  }

  /**
   * Whether a line written at {@code time} counts. A timestamp with whole seconds only is compared
   * at that precision, so a line logged in the same second as {@code since} is not lost.
   */
  public boolean counts(Instant time) {
    if (since == null) {
      return true;
    }
    return !time.isBefore(since) || time.getNano() == 0 && !time.isBefore(sinceSecond);
  }

  /** Builder for {@link LogRules}; error and expected patterns default to none. */
  public static final class Builder {
    private List<Pattern> errors = List.of();
    private List<Pattern> expected = List.of();
    private Instant since;
    private TimestampExtractor timestamps = TimestampExtractor.standard();

    private Builder() {}

    /** Regular expressions found anywhere in a line make it an error line. */
    public Builder errors(List<String> regexes) {
      this.errors = StepArgs.patterns("errors", regexes);
      return this;
    }

    public Builder errorPatterns(List<Pattern> patterns) {
      this.errors = List.copyOf(patterns);
      return this;
    }

    /** Regular expressions that must each be found in some line. */
    public Builder expect(List<String> regexes) {
      this.expected = StepArgs.patterns("expect", regexes);
      return this;
    }

    public Builder expectPatterns(List<Pattern> patterns) {
      this.expected = List.copyOf(patterns);
      return this;
    }

    public Builder since(Instant since) {
      this.since = since;
      return this;
    }

    public Builder timestamps(TimestampExtractor timestamps) {
      this.timestamps = Objects.requireNonNull(timestamps, "timestamps");
      return this;
    }

    public LogRules build() {
      return new LogRules(this);
    }
  }
}
