package io.lockstep.kubernetes;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code GET /api/v1/namespaces/<ns>/pods/<pod>/log?container=<c>&sinceTime=<t>}, the request
 * {@code kubectl logs --since-time} sends.
 *
 * <p>Sent directly rather than through fabric8's {@code getLogInputStream()}, which first waits for
 * the pod to become ready: a list and a watch per pod even with a zero wait, and the pods a log
 * check reads after a failed rollout are exactly the ones that never become ready.
 */
final class PodLogRequest {

  private PodLogRequest() {}

  /**
   * The log's body, to read and close. Only the answer's headers are awaited, for at most {@code
   * timeout}.
   *
   * @throws KubernetesClientException for an answer other than 200 (with the server's status) or no
   *     answer in time, for {@link KubeCalls} to word
   */
  static InputStream open(
      KubernetesClient client,
      String namespace,
      String pod,
      String container,
      Instant since,
      Duration timeout)
      throws IOException {
    String url =
        client.getMasterUrl().toString().replaceAll("/+$", "")
            + "/api/v1/namespaces/"
            + namespace
            + "/pods/"
            + pod
            + "/log?container="
            + encode(container)
            + "&sinceTime="
            + encode(since.toString());
    var http = client.getHttpClient();
    HttpRequest request = http.newHttpRequestBuilder().uri(url).build();
    CompletableFuture<HttpResponse<InputStream>> answer =
        http.sendAsync(request, InputStream.class);
    HttpResponse<InputStream> response;
    try {
      response = answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      answer.cancel(true);
      throw new KubernetesClientException("no answer to GET " + url, e);
    } catch (ExecutionException e) {
      throw new KubernetesClientException("GET " + url + " failed", e.getCause());
    } catch (InterruptedException e) {
      answer.cancel(true);
      Thread.currentThread().interrupt();
      throw new KubernetesClientException("interrupted while reading " + url, e);
    }
    if (response.isSuccessful()) {
      return response.body();
    }
    String body;
    try (InputStream in = response.body()) {
      body = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    throw new KubernetesClientException(
        "GET " + url + " answered HTTP " + response.code(),
        response.code(),
        status(client, response.code(), body));
  }

  /** The server's Status object, or one built around a body that is not one. */
  private static Status status(KubernetesClient client, int code, String body) {
    try {
      Status status = client.getKubernetesSerialization().unmarshal(body, Status.class);
      if (status != null && status.getMessage() != null) {
        return status;
      }
    } catch (RuntimeException notAStatus) {
      // Plain text, as proxies and some fakes answer: keep it as the message.
    }
    return new StatusBuilder().withCode(code).withMessage(body.strip()).build();
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
