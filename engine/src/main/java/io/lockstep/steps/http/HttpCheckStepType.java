package io.lockstep.steps.http;

import io.lockstep.engine.model.Step;
import io.lockstep.engine.model.StepContext;
import io.lockstep.engine.spi.ArgSpec;
import io.lockstep.engine.spi.StepType;
import io.lockstep.steps.StepArgs;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code httpCheck}: requests a URL until it answers with the expected status (and body), retrying
 * inside the step.
 *
 * <pre>{@code
 * httpCheck 'health', url: 'http://127.0.0.1:18080/health', retries: 10, interval: '500ms'
 * }</pre>
 *
 * Outputs {@code status}, {@code body} (its first 4 KiB) and {@code attempts}. Idempotent, nothing
 * to compensate.
 */
public final class HttpCheckStepType implements StepType {

  private static final List<ArgSpec> ARGUMENTS =
      List.of(
          ArgSpec.required("url", String.class, "http or https URL to request"),
          ArgSpec.optional("method", String.class, "GET", "request method"),
          ArgSpec.optional("expectStatus", Integer.class, 200, "status that means healthy"),
          ArgSpec.optional("expectBody", String.class, null, "regex the body must contain"),
          ArgSpec.optional(
              "capture", String.class, null, "regex whose group 1 becomes the output captured"),
          ArgSpec.optional("headers", Map.class, Map.of(), "request headers"),
          ArgSpec.optional("retries", Integer.class, 0, "attempts after the first one"),
          ArgSpec.optional("interval", Duration.class, Duration.ofSeconds(1), "pause between"),
          ArgSpec.optional(
              "requestTimeout", Duration.class, Duration.ofSeconds(5), "time allowed per request"));

  @Override
  public String name() {
    return "httpCheck";
  }

  @Override
  public String summary() {
    return "request a URL until it answers with the expected status and body";
  }

  @Override
  public List<ArgSpec> arguments() {
    return ARGUMENTS;
  }

  @Override
  public Step.Builder create(String id, Map<String, Object> args) {
    Object url = args.get("url");
    if (url == null || url.toString().isBlank()) {
      throw new IllegalArgumentException("httpCheck '" + id + "': url must not be empty");
    }
    if (url instanceof String plain) {
      checkUrl(id, plain);
    }
    String method = String.valueOf(args.getOrDefault("method", "GET")).toUpperCase(Locale.ROOT);
    int expectStatus = StepArgs.integer(args, "expectStatus", 200);
    Object expectBody = args.get("expectBody");
    if (expectBody instanceof String regex) {
      // checked now, so a typo fails the load rather than the run
      expectBody = StepArgs.pattern("httpCheck '" + id + "': expectBody", regex);
    }
    Object captureRegex = args.get("capture");
    Pattern capture =
        captureRegex == null
            ? null
            : StepArgs.pattern("httpCheck '" + id + "': capture", String.valueOf(captureRegex));
    int retries = StepArgs.integer(args, "retries", 0);
    if (retries < 0) {
      throw new IllegalArgumentException("httpCheck '" + id + "': retries must not be negative");
    }
    Duration interval = StepArgs.duration(args, "interval", Duration.ofSeconds(1));
    Duration requestTimeout = StepArgs.duration(args, "requestTimeout", Duration.ofSeconds(5));
    if (requestTimeout.isZero() || requestTimeout.isNegative()) {
      throw new IllegalArgumentException("httpCheck '" + id + "': requestTimeout must be positive");
    }
    HttpCheck check =
        new HttpCheck(
            url,
            method,
            StepArgs.map(args, "headers"),
            expectStatus,
            expectBody,
            capture,
            retries,
            interval,
            requestTimeout);

    Step.Builder step =
        Step.builder(id, (StepContext ctx) -> check.run(ctx))
            .type(name())
            .describe(check.describe())
            .idempotent(true)
            .argument("url", StepArgs.display(url))
            .argument("method", method)
            .argument("expectStatus", expectStatus);
    if (expectBody != null) {
      step.argument(
          "expectBody",
          expectBody instanceof Pattern regex ? regex.pattern() : StepArgs.display(expectBody));
    }
    if (capture != null) {
      step.argument("capture", capture.pattern());
    }
    if (!StepArgs.map(args, "headers").isEmpty()) {
      step.argument("headers", StepArgs.display(StepArgs.map(args, "headers")));
    }
    return step.argument("retries", retries)
        .argument("interval", StepArgs.format(interval))
        .argument("requestTimeout", StepArgs.format(requestTimeout));
  }

  private static void checkUrl(String id, String url) {
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
        throw new IllegalArgumentException(
            "httpCheck '"
                + id
                + "': url must be an http or https URL with a host, got '"
                + url
                + "'");
      }
    } catch (java.net.URISyntaxException e) {
      throw new IllegalArgumentException(
          "httpCheck '" + id + "': invalid url '" + url + "': " + e.getReason(), e);
    }
  }
}
