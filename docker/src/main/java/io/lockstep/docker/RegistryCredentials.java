package io.lockstep.docker;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * Credentials for an image's registry: from the step's arguments (usually secrets), else from the
 * Docker CLI's {@code config.json} ({@code $DOCKER_CONFIG} or {@code ~/.docker}), entries written
 * by {@code docker login}. Credential helpers ({@code credsStore}, {@code credHelpers}) are not
 * run.
 *
 * @param registry registry host as the image names it ({@code 127.0.0.1:5000}, {@code docker.io})
 * @param user user name
 * @param password password or token; never logged
 * @param source where they came from, for messages: {@code arguments} or the config file
 */
record RegistryCredentials(String registry, String user, String password, String source) {

  static final String DOCKER_HUB = "docker.io";

  /** The registry host of an image reference, {@code docker.io} when it names none. */
  static String registryOf(String image) {
    int slash = image.indexOf('/');
    if (slash < 0) {
      return DOCKER_HUB;
    }
    String first = image.substring(0, slash);
    boolean host = first.contains(".") || first.contains(":") || first.equals("localhost");
    return host ? first : DOCKER_HUB;
  }

  /** Credentials for {@code registry} from a Docker CLI config file, if it has an entry. */
  static Optional<RegistryCredentials> fromConfig(Path configJson, String registry)
      throws IOException {
    if (!Files.isRegularFile(configJson)) {
      return Optional.empty();
    }
    JsonNode auths = Docker.JSON.readTree(configJson.toFile()).path("auths");
    for (Iterator<Map.Entry<String, JsonNode>> it = auths.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      if (!normalize(entry.getKey()).equals(normalize(registry))) {
        continue;
      }
      JsonNode auth = entry.getValue();
      String user = auth.path("username").asText("");
      String password = auth.path("password").asText("");
      String encoded = auth.path("auth").asText("");
      if (!encoded.isEmpty()) {
        String decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        int colon = decoded.indexOf(':');
        if (colon > 0) {
          user = decoded.substring(0, colon);
          password = decoded.substring(colon + 1);
        }
      }
      if (!user.isEmpty()) {
        return Optional.of(
            new RegistryCredentials(registry, user, password, configJson.toString()));
      }
    }
    return Optional.empty();
  }

  /** The config file the Docker CLI reads. */
  static Path defaultConfig() {
    String dir = System.getenv("DOCKER_CONFIG");
    return (dir == null || dir.isBlank()
            ? Path.of(System.getProperty("user.home"), ".docker")
            : Path.of(dir))
        .resolve("config.json");
  }

  /**
   * {@code https://index.docker.io/v1/} and {@code docker.io} are one registry; schemes dropped.
   */
  private static String normalize(String key) {
    String host = key.replaceFirst("^[a-z]+://", "");
    int slash = host.indexOf('/');
    host = slash < 0 ? host : host.substring(0, slash);
    return host.equals("index.docker.io") || host.equals("registry-1.docker.io")
        ? DOCKER_HUB
        : host;
  }

  @Override
  public String toString() {
    return "RegistryCredentials[" + registry + ", user " + user + ", from " + source + "]";
  }
}
