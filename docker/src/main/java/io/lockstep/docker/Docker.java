package io.lockstep.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import io.lockstep.steps.StepFailedException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * A client of one Docker daemon, leased from {@link DockerClients}. Typed calls go through
 * docker-java's {@link DockerClient} ({@link #client()}); container configuration travels as the
 * daemon's own JSON ({@link #findContainer}, {@link #create}), so a recreated container keeps even
 * the settings docker-java's model does not know.
 *
 * <p>Every failure leaves as a {@link StepFailedException} with a message for the operator: {@link
 * DockerUnavailableException} when the daemon does not answer, never a docker-java stack trace.
 */
public final class Docker implements AutoCloseable {

  static final ObjectMapper JSON = new ObjectMapper();

  private final Connection connection;
  private final Runnable release;
  private boolean released;

  private Docker(Connection connection, Runnable release) {
    this.connection = connection;
    this.release = release;
  }

  static Docker open(String host) {
    DefaultDockerClientConfig config;
    try {
      config = DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(host).build();
    } catch (RuntimeException e) {
      throw new StepFailedException("invalid Docker endpoint '" + host + "': " + e.getMessage());
    }
    DockerHttpClient http =
        new ZerodepDockerHttpClient.Builder()
            .dockerHost(config.getDockerHost())
            .sslConfig(config.getSSLConfig())
            .maxConnections(32)
            .connectionTimeout(Duration.ofSeconds(5))
            .build();
    return new Docker(new Connection(host, http, DockerClientImpl.getInstance(config, http)), null);
  }

  Docker leased(Runnable onRelease) {
    return new Docker(connection, onRelease);
  }

  /** The endpoint, as given: {@code unix:///var/run/docker.sock}, {@code tcp://127.0.0.1:2375}. */
  public String host() {
    return connection.host;
  }

  /** docker-java's client; wrap calls in {@link #call(String, Callable)} for readable errors. */
  public DockerClient client() {
    return connection.client;
  }

  /** Releases this lease; the client stays open for the next step a while. */
  @Override
  public void close() {
    if (!released && release != null) {
      released = true;
      release.run();
    }
  }

  void shutdown() {
    try {
      connection.client.close();
    } catch (IOException e) {
      // closing idle sockets: nothing left to do
    }
  }

  /** Runs a docker-java call, turning its failures into messages for the operator. */
  public <T> T call(String what, Callable<T> call) throws InterruptedException {
    try {
      return call.call();
    } catch (InterruptedException | StepFailedException e) {
      throw e;
    } catch (Exception e) {
      throw failure(what, e);
    }
  }

  /** The failure to report for an exception thrown while doing {@code what}. */
  StepFailedException failure(String what, Throwable e) {
    if (e instanceof StepFailedException failed) {
      return failed;
    }
    if (unreachable(e)) {
      return new DockerUnavailableException(host(), rootMessage(e));
    }
    String message = e instanceof DockerException d ? daemonMessage(d) : rootMessage(e);
    return new StepFailedException(what + ": " + message);
  }

  /** {@code GET /containers/NAME/json}, or empty when there is no such container. */
  public Optional<JsonNode> findContainer(String name) throws InterruptedException {
    return Optional.ofNullable(
        raw("inspect container '" + name + "'", "GET", containerPath(name, "/json"), null, true));
  }

  /** The container's inspect document, or a failure {@code no container named 'NAME'}. */
  public JsonNode container(String name) throws InterruptedException {
    return findContainer(name)
        .orElseThrow(
            () -> new StepFailedException("no container named '" + name + "' on " + host()));
  }

  /** {@code GET /images/REF/json}, or empty when the image is not present on this daemon. */
  public Optional<JsonNode> findImage(String ref) throws InterruptedException {
    return Optional.ofNullable(
        raw("inspect image '" + ref + "'", "GET", "/images/" + ref + "/json", null, true));
  }

  /** Creates a container from a create document (config, HostConfig, NetworkingConfig). */
  public String create(String name, Map<String, Object> body) throws InterruptedException {
    JsonNode created =
        raw(
            "create container '" + name + "'",
            "POST",
            "/containers/create?name=" + encode(name),
            body,
            false);
    return created.path("Id").asText();
  }

  public void start(String id) throws InterruptedException {
    raw("start container " + shortId(id), "POST", containerPath(id, "/start"), null, false);
  }

  public void stop(String id, int seconds) throws InterruptedException {
    raw(
        "stop container " + shortId(id),
        "POST",
        containerPath(id, "/stop?t=" + seconds),
        null,
        false);
  }

  /** Removes a stopped container; its named and anonymous volumes stay. */
  public void remove(String id) throws InterruptedException {
    raw(
        "remove container " + shortId(id),
        "DELETE",
        containerPath(id, "?v=false&force=false"),
        null,
        false);
  }

  public void connect(String network, String id, Object endpointConfig)
      throws InterruptedException {
    raw(
        "connect container " + shortId(id) + " to network '" + network + "'",
        "POST",
        "/networks/" + encode(network) + "/connect",
        Map.of("Container", id, "EndpointConfig", endpointConfig),
        false);
  }

  /**
   * Starts an exec instance and returns its output stream, multiplexed as Docker frames (an 8-byte
   * header: stream type, three zero bytes, big-endian length). The caller closes it.
   */
  public InputStream startExec(String execId) throws InterruptedException {
    return stream(
        "start exec " + shortId(execId),
        "POST",
        "/exec/" + encode(execId) + "/start",
        Map.of("Detach", false, "Tty", false));
  }

  /**
   * {@code GET /containers/ID/logs} with timestamps, stdout and stderr: Docker frames, or raw bytes
   * for a container with a TTY. The caller closes it; closing ends a followed stream.
   */
  public InputStream logs(String containerId, Long sinceEpochSecond, boolean follow)
      throws InterruptedException {
    return stream(
        "read the log of container " + shortId(containerId),
        "GET",
        containerPath(
            containerId,
            "/logs?stdout=1&stderr=1&timestamps=1&follow="
                + (follow ? 1 : 0)
                + (sinceEpochSecond == null ? "" : "&since=" + sinceEpochSecond)),
        null);
  }

  /**
   * {@code POST /images/create}: pulls {@code reference}, with {@code registryAuth} (the {@code
   * X-Registry-Auth} header value) when not null. Returns the daemon's JSON progress messages; an
   * error of the pull itself arrives as a message. The caller closes it.
   */
  public InputStream pull(String reference, String registryAuth) throws InterruptedException {
    String repository = PullImageStepType.repositoryOf(reference);
    String rest = reference.substring(repository.length());
    String query =
        "fromImage="
            + encode(repository)
            + (rest.startsWith(":") ? "&tag=" + encode(rest.substring(1)) : "")
            + (rest.startsWith("@") ? "&tag=" + encode(rest.substring(1)) : "");
    return stream(
        "pull " + reference,
        "POST",
        "/images/create?" + query,
        null,
        registryAuth == null ? Map.of() : Map.of("X-Registry-Auth", registryAuth));
  }

  private InputStream stream(String what, String method, String path, Object body)
      throws InterruptedException {
    return stream(what, method, path, body, Map.of());
  }

  private InputStream stream(
      String what, String method, String path, Object body, Map<String, String> headers)
      throws InterruptedException {
    DockerHttpClient.Request.Builder builder =
        DockerHttpClient.Request.builder().method(method).path(path);
    headers.forEach(builder::putHeader);
    try {
      if (body != null) {
        builder
            .bodyBytes(JSON.writeValueAsBytes(body))
            .putHeader("Content-Type", "application/json");
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot write the request for " + what, e);
    }
    DockerHttpClient.Request request = builder.build();
    DockerHttpClient.Response response;
    try {
      response = connection.http.execute(request);
    } catch (RuntimeException e) {
      throw failure(what, e);
    }
    if (response.getStatusCode() >= 300) {
      try (response) {
        byte[] bytes = response.getBody().readAllBytes();
        String message = new String(bytes, StandardCharsets.UTF_8).strip();
        try {
          message = JSON.readTree(bytes).path("message").asText(message);
        } catch (IOException notJson) {
          // keep the text
        }
        throw new StepFailedException(what + ": " + message);
      } catch (IOException e) {
        throw failure(what, e);
      }
    }
    return new java.io.FilterInputStream(response.getBody()) {
      @Override
      public void close() throws IOException {
        // The response first: it drops the connection, where closing the body would first drain
        // it, which for a followed log never ends.
        response.close();
      }
    };
  }

  static String shortId(String id) {
    String bare = id.startsWith("sha256:") ? id.substring(7) : id;
    return bare.length() > 12 ? bare.substring(0, 12) : bare;
  }

  private JsonNode raw(
      String what, String method, String path, Object body, boolean notFoundIsEmpty)
      throws InterruptedException {
    DockerHttpClient.Request.Builder request =
        DockerHttpClient.Request.builder().method(method).path(path);
    if (body != null) {
      try {
        request
            .bodyBytes(JSON.writeValueAsBytes(body))
            .putHeader("Content-Type", "application/json");
      } catch (IOException e) {
        throw new IllegalStateException("cannot write the request for " + what, e);
      }
    }
    try (DockerHttpClient.Response response = connection.http.execute(request.build())) {
      int status = response.getStatusCode();
      byte[] bytes;
      try (InputStream in = response.getBody()) {
        bytes = in == null ? new byte[0] : in.readAllBytes();
      }
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
      if (status == 404 && notFoundIsEmpty) {
        return null;
      }
      if (status == 304) {
        return NullNode.instance; // already started or stopped
      }
      if (status >= 300) {
        String message = new String(bytes, StandardCharsets.UTF_8).strip();
        try {
          message = JSON.readTree(bytes).path("message").asText(message);
        } catch (IOException e) {
          // not JSON: keep the text
        }
        throw new StepFailedException(what + ": " + message);
      }
      return bytes.length == 0 ? NullNode.instance : JSON.readTree(bytes);
    } catch (InterruptedException | StepFailedException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw failure(what, e);
    }
  }

  private static String containerPath(String nameOrId, String rest) {
    return "/containers/" + encode(nameOrId) + rest;
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static boolean unreachable(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.net.ConnectException
          || t instanceof java.net.NoRouteToHostException
          || t instanceof java.net.UnknownHostException) {
        return true;
      }
      String message = String.valueOf(t.getMessage());
      if (t instanceof IOException
          && (message.contains("No such file or directory")
              || message.contains("Connection refused")
              || message.contains("Permission denied")
              || message.contains("connect"))) {
        return true;
      }
      if (t.getClass().getName().contains("LastErrorException")) {
        return true; // the native unix socket connect failed
      }
    }
    return false;
  }

  /** The daemon's own words from a docker-java exception ({"message":"..."} bodies unwrapped). */
  static String daemonMessage(DockerException e) {
    String body = e.getMessage() == null ? "" : e.getMessage();
    int brace = body.indexOf('{');
    if (brace >= 0) {
      try {
        JsonNode json = JSON.readTree(body.substring(brace));
        if (json.hasNonNull("message")) {
          return json.get("message").asText();
        }
      } catch (IOException ignored) {
        // not JSON
      }
    }
    return body.replaceFirst("^Status \\d+: ", "").strip();
  }

  static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    return message == null || message.isBlank() ? root.getClass().getSimpleName() : message;
  }

  private record Connection(String host, DockerHttpClient http, DockerClient client) {}
}
