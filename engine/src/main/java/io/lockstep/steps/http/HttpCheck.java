package io.lockstep.steps.http;

import io.lockstep.engine.model.StepContext;
import io.lockstep.steps.StepArgs;
import io.lockstep.steps.StepFailedException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** One configured HTTP check: the request, what counts as healthy, and the retry loop. */
final class HttpCheck {

  /** Bytes of the body kept in the step's outputs. */
  static final int BODY_OUTPUT_BYTES = 4096;

  /** Bytes of the body searched for {@code expectBody}; a health page is far smaller. */
  static final int BODY_MATCH_BYTES = 1024 * 1024;

  private static final Pattern CHARSET = Pattern.compile("(?i)charset=\"?([^\";\\s]+)");

  private final Object url;
  private final String method;
  private final Map<?, ?> headers;
  private final int expectStatus;

  /** A {@link Pattern}, or a template or output reference that gives the regex at run time. */
  private final Object expectBody;

  /** Group 1 (or the whole match) of this regex becomes the output {@code captured}; optional. */
  private final Pattern capture;

  private final int retries;
  private final Duration interval;
  private final Duration requestTimeout;

  HttpCheck(
      Object url,
      String method,
      Map<?, ?> headers,
      int expectStatus,
      Object expectBody,
      Pattern capture,
      int retries,
      Duration interval,
      Duration requestTimeout) {
    this.url = url;
    this.method = method;
    this.headers = headers;
    this.expectStatus = expectStatus;
    this.expectBody = expectBody;
    this.capture = capture;
    this.retries = retries;
    this.interval = interval;
    this.requestTimeout = requestTimeout;
  }

  String describe() {
    return method
        + " "
        + StepArgs.display(url)
        + " expecting "
        + expectation(shownRegex())
        + (retries == 0
            ? ""
            : ", up to " + (retries + 1) + " attempts every " + StepArgs.format(interval));
  }

  private String expectation(String regex) {
    return "status " + expectStatus + (regex == null ? "" : " and a body matching /" + regex + "/");
  }

  private String shownRegex() {
    if (expectBody == null) {
      return null;
    }
    return expectBody instanceof Pattern regex
        ? regex.pattern()
        : String.valueOf(StepArgs.display(expectBody));
  }

  private Pattern bodyRegex(StepContext ctx) {
    if (expectBody == null || expectBody instanceof Pattern) {
      return (Pattern) expectBody;
    }
    String regex = ctx.resolveText(expectBody);
    try {
      return Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw new StepFailedException(
          "httpCheck: expectBody " + shownRegex() + " is not a valid regex: " + e.getDescription());
    }
  }

  Map<String, Object> run(StepContext ctx) throws InterruptedException {
    String shown = method + " " + StepArgs.display(url);
    URI uri;
    try {
      uri = URI.create(ctx.resolveText(url));
    } catch (IllegalArgumentException e) {
      throw new StepFailedException("httpCheck " + shown + ": invalid url: " + e.getMessage(), e);
    }
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .timeout(requestTimeout)
            .method(method, HttpRequest.BodyPublishers.noBody());
    headers.forEach((k, v) -> request.header(String.valueOf(k), ctx.resolveText(v)));
    HttpClient client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(requestTimeout)
            .build();

    Pattern bodyRegex = bodyRegex(ctx);
    String expected = expectation(bodyRegex == null ? null : bodyRegex.pattern());
    int attempts = retries + 1;
    String got = null;
    for (int attempt = 1; attempt <= attempts; attempt++) {
      ctx.cancellation().throwIfCancelled();
      String prefix = "attempt " + attempt + "/" + attempts + ": " + shown + " -> ";
      try {
        HttpResponse<InputStream> response =
            client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        String body = readBody(response);
        int status = response.statusCode();
        if (status != expectStatus) {
          got = "status " + status;
        } else if (bodyRegex != null && !bodyRegex.matcher(body).find()) {
          got = "status " + status + " with a body not matching: \"" + abbreviate(body) + "\"";
        } else if (capture != null && !capture.matcher(body).find()) {
          got =
              "status "
                  + status
                  + " with a body without a match for capture /"
                  + capture.pattern()
                  + "/: \""
                  + abbreviate(body)
                  + "\"";
        } else {
          ctx.log(prefix + status + ", as expected");
          Map<String, Object> outputs = new LinkedHashMap<>();
          outputs.put("status", status);
          outputs.put("body", head(body, charset(response)));
          outputs.put("attempts", attempt);
          if (capture != null) {
            Matcher found = capture.matcher(body);
            found.find();
            outputs.put("captured", found.groupCount() > 0 ? found.group(1) : found.group());
          }
          return outputs;
        }
      } catch (HttpTimeoutException e) {
        got = "no response within " + StepArgs.format(requestTimeout);
      } catch (ConnectException e) {
        got =
            e.getMessage() == null || e.getMessage().isBlank()
                ? "connection refused"
                : "connection failed: " + e.getMessage().toLowerCase(java.util.Locale.ROOT);
      } catch (IOException e) {
        got = "request failed: " + (e.getMessage() == null ? e.toString() : e.getMessage());
      }
      ctx.log(prefix + got + " (expected " + expected + ")");
      if (attempt < attempts) {
        pause(ctx);
      }
    }
    throw new StepFailedException(
        "httpCheck "
            + shown
            + " failed after "
            + attempts
            + (attempts == 1 ? " attempt" : " attempts")
            + ": expected "
            + expected
            + ", got "
            + got);
  }

  private void pause(StepContext ctx) throws InterruptedException {
    long deadline = System.nanoTime() + interval.toNanos();
    long left;
    while ((left = deadline - System.nanoTime()) > 0) {
      ctx.cancellation().throwIfCancelled();
      Thread.sleep(Math.max(1, Math.min(100, left / 1_000_000)));
    }
  }

  private static String readBody(HttpResponse<InputStream> response) throws IOException {
    try (InputStream in = response.body()) {
      byte[] bytes = in.readNBytes(BODY_MATCH_BYTES);
      return new String(bytes, charset(response));
    }
  }

  private static Charset charset(HttpResponse<?> response) {
    Matcher m = CHARSET.matcher(response.headers().firstValue("Content-Type").orElse(""));
    if (m.find()) {
      try {
        return Charset.forName(m.group(1));
      } catch (IllegalArgumentException e) {
        // unknown charset: fall back to UTF-8
      }
    }
    return StandardCharsets.UTF_8;
  }

  /** The longest prefix of {@code body} that fits {@link #BODY_OUTPUT_BYTES} when encoded. */
  private static String head(String body, Charset charset) {
    byte[] bytes = body.getBytes(charset);
    if (bytes.length <= BODY_OUTPUT_BYTES) {
      return body;
    }
    CharsetDecoder decoder = charset.newDecoder().onMalformedInput(CodingErrorAction.IGNORE);
    try {
      return decoder.decode(ByteBuffer.wrap(Arrays.copyOf(bytes, BODY_OUTPUT_BYTES))).toString();
    } catch (java.nio.charset.CharacterCodingException e) {
      return body.substring(0, Math.min(body.length(), BODY_OUTPUT_BYTES));
    }
  }

  private static String abbreviate(String body) {
    String flat = body.replaceAll("\\s+", " ").strip();
    return flat.length() <= 120 ? flat : flat.substring(0, 117) + "...";
  }
}
