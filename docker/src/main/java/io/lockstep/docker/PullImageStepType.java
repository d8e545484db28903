package io.lockstep.docker;

import com.fasterxml.jackson.databind.JsonNode;
import io.lockstep.engine.model.Step;
import io.lockstep.engine.model.StepContext;
import io.lockstep.engine.spi.ArgSpec;
import io.lockstep.engine.spi.StepType;
import io.lockstep.steps.StepArgs;
import io.lockstep.steps.StepFailedException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code pullImage}: pulls an image into the daemon, with registry credentials from the arguments
 * (usually secrets) or from the Docker CLI's {@code config.json}.
 *
 * <pre>{@code
 * pullImage 'pull', image: "registry.example.com/portal:${params.version}",
 *     registryUser: 'deploy', registryPassword: secret('registryPassword')
 * }</pre>
 *
 * Outputs {@code image}, {@code imageId}, {@code digest} (the repository digest, {@code
 * name@sha256:...}), {@code previousImageId} (what the reference named before, empty if absent) and
 * {@code changed}. Idempotent; nothing to compensate (the old image stays on the daemon).
 */
public final class PullImageStepType implements StepType {

  private static final List<ArgSpec> ARGUMENTS =
      List.of(
          ArgSpec.required("image", String.class, "image reference, such as registry/name:tag"),
          ArgSpec.optional("registryUser", String.class, null, "registry user name"),
          ArgSpec.optional(
              "registryPassword", String.class, null, "registry password, usually a secret"),
          ArgSpec.optional(
              "dockerConfig",
              String.class,
              null,
              "directory with a Docker CLI config.json (default: DOCKER_CONFIG, ~/.docker)"),
          DockerArgs.HOST);

  @Override
  public String name() {
    return "pullImage";
  }

  @Override
  public String summary() {
    return "pull an image from its registry (credentials from secrets or config.json)";
  }

  @Override
  public List<ArgSpec> arguments() {
    return ARGUMENTS;
  }

  @Override
  public Step.Builder create(String id, Map<String, Object> args) {
    Object image = DockerArgs.required(name(), id, args, "image");
    Object user = args.get("registryUser");
    Object password = args.get("registryPassword");
    if ((user == null) != (password == null)) {
      throw new IllegalArgumentException(
          "pullImage '" + id + "': give both registryUser and registryPassword, or neither");
    }
    Object config = args.get("dockerConfig");
    Object host = args.get("host");
    Step.Builder step =
        Step.builder(id, ctx -> pull(ctx, image, user, password, config, host))
            .type(name())
            .describe(
                "pull "
                    + StepArgs.display(image)
                    + (user == null ? "" : " as " + StepArgs.display(user))
                    + DockerArgs.on(host))
            .idempotent(true)
            .argument("image", StepArgs.display(image));
    if (user != null) {
      step.argument("registryUser", StepArgs.display(user));
      step.argument("registryPassword", StepArgs.display(password));
    }
    if (config != null) {
      step.argument("dockerConfig", StepArgs.display(config));
    }
    if (host != null) {
      step.argument("host", StepArgs.display(host));
    }
    return step;
  }

  private static Map<String, Object> pull(
      StepContext ctx,
      Object imageArg,
      Object userArg,
      Object passwordArg,
      Object config,
      Object host)
      throws InterruptedException, IOException {
    String image = ctx.resolveText(imageArg);
    String registry = RegistryCredentials.registryOf(image);
    Optional<RegistryCredentials> credentials;
    if (userArg != null) {
      credentials =
          Optional.of(
              new RegistryCredentials(
                  registry, ctx.resolveText(userArg), ctx.resolveText(passwordArg), "arguments"));
    } else {
      Path file =
          config == null
              ? RegistryCredentials.defaultConfig()
              : StepArgs.path(ctx, config).resolve("config.json");
      credentials = RegistryCredentials.fromConfig(file, registry);
    }
    try (Docker docker = DockerArgs.docker(ctx, host)) {
      String previousId = docker.findImage(image).map(i -> i.path("Id").asText()).orElse("");
      ctx.log(
          "pulling "
              + image
              + credentials
                  .map(c -> " as " + c.user() + " (credentials from " + c.source() + ")")
                  .orElse(""));
      Progress progress = new Progress();
      try (InputStream in =
          docker.pull(image, credentials.map(PullImageStepType::auth).orElse(null))) {
        progress.relay.relay(ctx, in, progress::handle);
      } catch (DockerUnavailableException e) {
        throw e;
      } catch (StepFailedException e) {
        // the daemon refused the pull outright (an HTTP error rather than an error message)
        String prefix = "pull " + image + ": ";
        String reported =
            e.getMessage().startsWith(prefix)
                ? e.getMessage().substring(prefix.length())
                : e.getMessage();
        throw pullFailure(docker, image, registry, credentials, reported, null);
      } catch (IOException | RuntimeException e) {
        throw pullFailure(docker, image, registry, credentials, progress.error, e);
      }
      if (progress.error != null) {
        throw pullFailure(docker, image, registry, credentials, progress.error, null);
      }
      JsonNode pulled =
          docker
              .findImage(image)
              .orElseThrow(
                  () ->
                      new StepFailedException(
                          "pulled " + image + " but the daemon does not have it"));
      Map<String, Object> outputs = new LinkedHashMap<>();
      outputs.put("image", image);
      outputs.put("imageId", pulled.path("Id").asText());
      outputs.put("digest", digest(pulled, image));
      outputs.put("previousImageId", previousId);
      outputs.put("changed", !previousId.equals(pulled.path("Id").asText()));
      return outputs;
    }
  }

  /** The repository digest of the pulled reference ({@code name@sha256:...}), or empty. */
  private static String digest(JsonNode image, String reference) {
    String repository = repositoryOf(reference);
    for (JsonNode digest : image.path("RepoDigests")) {
      if (digest.asText().startsWith(repository + "@")) {
        return digest.asText();
      }
    }
    return image.path("RepoDigests").path(0).asText("");
  }

  /** {@code host:5000/a/b:tag} and {@code a/b@sha256:...} without tag or digest. */
  static String repositoryOf(String reference) {
    int at = reference.indexOf('@');
    String name = at < 0 ? reference : reference.substring(0, at);
    int colon = name.lastIndexOf(':');
    return colon > name.lastIndexOf('/') ? name.substring(0, colon) : name;
  }

  private static StepFailedException pullFailure(
      Docker docker,
      String image,
      String registry,
      Optional<RegistryCredentials> credentials,
      String reported,
      Exception thrown) {
    if (thrown != null && reported == null) {
      StepFailedException failure = docker.failure("pull " + image, thrown);
      if (failure instanceof DockerUnavailableException) {
        return failure;
      }
      reported = failure.getMessage().substring(("pull " + image + ": ").length());
    }
    String text = reported.toLowerCase(Locale.ROOT);
    if (text.contains("unauthorized")
        || text.contains("authentication required")
        || text.contains("no basic auth credentials")
        || text.contains("denied")) {
      return new StepFailedException(
          credentials
                  .map(
                      c ->
                          "registry "
                              + registry
                              + " refused the credentials of user '"
                              + c.user()
                              + "' (from "
                              + c.source()
                              + ") for "
                              + image)
                  .orElse(
                      "registry "
                          + registry
                          + " requires credentials for "
                          + image
                          + ": give registryUser and registryPassword, or run docker login")
              + " ("
              + reported
              + ")");
    }
    if (text.contains("not found")
        || text.contains("manifest unknown")
        || text.contains("does not exist")) {
      return new StepFailedException(
          "image " + image + " not found in registry " + registry + " (" + reported + ")");
    }
    if (text.contains("connection refused")
        || text.contains("no such host")
        || text.contains("dial tcp")) {
      return new StepFailedException(
          "cannot reach registry " + registry + " to pull " + image + " (" + reported + ")");
    }
    return new StepFailedException("pull " + image + " failed: " + reported);
  }

  /** Logs one line per layer state change (not every progress tick) and the pull's summary. */
  /** The {@code X-Registry-Auth} header: the credentials as base64url-encoded JSON. */
  private static String auth(RegistryCredentials credentials) {
    Map<String, String> auth = new LinkedHashMap<>();
    auth.put("username", credentials.user());
    auth.put("password", credentials.password());
    auth.put("serveraddress", credentials.registry());
    try {
      return Base64.getUrlEncoder().encodeToString(Docker.JSON.writeValueAsBytes(auth));
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode the registry credentials", e);
    }
  }

  /** Turns the daemon's progress messages into run log lines: one per layer state change. */
  private static final class Progress {
    final ProgressRelay relay = new ProgressRelay();
    private final Map<String, String> layers = new HashMap<>();
    volatile String error;

    void handle(JsonNode item) {
      String reported =
          item.path("errorDetail").path("message").asText(item.path("error").asText(""));
      if (!reported.isEmpty()) {
        error = reported;
        return;
      }
      String status = item.path("status").asText("");
      String id = item.path("id").asText("");
      if (status.isEmpty()) {
        return;
      }
      if (id.isEmpty() || status.startsWith("Pulling from")) {
        relay.emit(id.isEmpty() ? status : status + " " + id);
        return;
      }
      if (!status.equals(layers.put(id, status))
          && !status.equals("Downloading")
          && !status.equals("Extracting")
          && !status.equals("Waiting")) {
        relay.emit(id + ": " + status);
      }
    }
  }
}
