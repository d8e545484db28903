package io.lockstep.docker;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A container's own configuration, recorded from {@code docker inspect} so the same container can
 * be made again from another image: {@code Config} without what the image itself sets, the whole
 * {@code HostConfig} (ports, binds, mounts, restart policy, resources, ...), the networks it is
 * attached to with their aliases and static addresses.
 *
 * <p>Values equal to the old image's defaults (its {@code ENV}, {@code LABEL}, {@code CMD}, {@code
 * ENTRYPOINT}, {@code WORKDIR}, {@code USER}, {@code HEALTHCHECK}, {@code EXPOSE}, {@code VOLUME})
 * are left out, so the new image's defaults apply, as {@code docker run} with the same options
 * would give. Anonymous volumes are kept by name, so their data survives the recreate.
 *
 * <p>As a map (the step's output, stored in the journal) it holds {@code name}, {@code id}, {@code
 * image}, {@code imageId}, {@code running}, {@code config}, {@code hostConfig} and {@code
 * networks}.
 */
record ContainerRecord(
    String name,
    String id,
    String image,
    String imageId,
    boolean running,
    Map<String, Object> config,
    Map<String, Object> hostConfig,
    Map<String, Object> networks) {

  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};
  private static final List<String> IMAGE_DEFAULTS =
      List.of("WorkingDir", "User", "Healthcheck", "StopSignal", "Shell", "OnBuild", "Volumes");

  /** Records a container from its inspect document and the inspect document of its image. */
  static ContainerRecord of(JsonNode container, JsonNode image) {
    String id = container.path("Id").asText();
    ObjectNode config = container.path("Config").deepCopy();
    JsonNode imageConfig = image == null ? null : image.path("Config");
    config.remove("Image");
    if (config.path("Hostname").asText().equals(id.substring(0, Math.min(12, id.length())))) {
      config.remove("Hostname");
    }
    if (imageConfig != null) {
      subtractImageDefaults(config, imageConfig);
    }
    ObjectNode hostConfig = container.path("HostConfig").deepCopy();
    keepAnonymousVolumes(container, hostConfig);
    ObjectNode networks = Docker.JSON.createObjectNode();
    container
        .path("NetworkSettings")
        .path("Networks")
        .fields()
        .forEachRemaining(e -> networks.set(e.getKey(), endpoint(e.getValue(), id)));
    return new ContainerRecord(
        container.path("Name").asText().replaceFirst("^/", ""),
        id,
        container.path("Config").path("Image").asText(),
        container.path("Image").asText(),
        container.path("State").path("Running").asBoolean(),
        toMap(config),
        toMap(hostConfig),
        toMap(networks));
  }

  /** The record back from a step's outputs. */
  @SuppressWarnings("unchecked")
  static ContainerRecord fromMap(Map<String, Object> map) {
    return new ContainerRecord(
        (String) map.get("name"),
        (String) map.get("id"),
        (String) map.get("image"),
        (String) map.get("imageId"),
        Boolean.TRUE.equals(map.get("running")),
        (Map<String, Object>) map.getOrDefault("config", Map.of()),
        (Map<String, Object>) map.getOrDefault("hostConfig", Map.of()),
        (Map<String, Object>) map.getOrDefault("networks", Map.of()));
  }

  /**
   * This record with environment variables set or replaced: the new container of an upgrade that
   * also rotates credentials. Variables not named keep their recorded values and order.
   */
  ContainerRecord withEnv(Map<String, String> overrides) {
    if (overrides.isEmpty()) {
      return this;
    }
    List<String> env = new ArrayList<>();
    Map<String, String> left = new LinkedHashMap<>(overrides);
    if (config.get("Env") instanceof List<?> own) {
      for (Object entry : own) {
        String name = String.valueOf(entry).replaceFirst("=.*", "");
        env.add(left.containsKey(name) ? name + "=" + left.remove(name) : String.valueOf(entry));
      }
    }
    left.forEach((name, value) -> env.add(name + "=" + value));
    Map<String, Object> changed = new LinkedHashMap<>(config);
    changed.put("Env", env);
    return new ContainerRecord(name, id, image, imageId, running, changed, hostConfig, networks);
  }

  /**
   * What a step may put in its outputs, which go to the journal: the identity and state, the names
   * of the environment variables and of the networks, never their values (an environment often
   * holds passwords that no secret reference names). The whole record stays in the step's
   * artifacts.
   */
  Map<String, Object> summary() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("name", name);
    map.put("id", id);
    map.put("image", image);
    map.put("imageId", imageId);
    map.put("running", running);
    Object env = config.get("Env");
    map.put(
        "envNames",
        env instanceof java.util.List<?> list
            ? list.stream().map(e -> String.valueOf(e).replaceFirst("=.*", "")).toList()
            : java.util.List.of());
    map.put("networks", java.util.List.copyOf(networks.keySet()));
    return map;
  }

  Map<String, Object> toMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("name", name);
    map.put("id", id);
    map.put("image", image);
    map.put("imageId", imageId);
    map.put("running", running);
    map.put("config", config);
    map.put("hostConfig", hostConfig);
    map.put("networks", networks);
    return map;
  }

  /** The {@code POST /containers/create} body for this configuration on {@code newImage}. */
  Map<String, Object> createBody(String newImage) {
    Map<String, Object> body = new LinkedHashMap<>(config);
    body.put("Image", newImage);
    Map<String, Object> exposed = new LinkedHashMap<>();
    if (config.get("ExposedPorts") instanceof Map<?, ?> own) {
      own.forEach((port, value) -> exposed.put(String.valueOf(port), Map.of()));
    }
    if (hostConfig.get("PortBindings") instanceof Map<?, ?> bindings) {
      bindings.keySet().forEach(port -> exposed.put(String.valueOf(port), Map.of()));
    }
    if (!exposed.isEmpty()) {
      body.put("ExposedPorts", exposed);
    }
    body.put("HostConfig", hostConfig);
    String primary = primaryNetwork();
    if (primary != null) {
      body.put(
          "NetworkingConfig", Map.of("EndpointsConfig", Map.of(primary, networks.get(primary))));
    }
    return body;
  }

  /** The network given at create time: the one {@code HostConfig.NetworkMode} names. */
  String primaryNetwork() {
    Object mode = hostConfig.get("NetworkMode");
    String name = mode == null || "default".equals(mode) ? "bridge" : mode.toString();
    return networks.containsKey(name) ? name : null;
  }

  /** Networks to connect after create: every other one the container was attached to. */
  Map<String, Object> otherNetworks() {
    Map<String, Object> others = new LinkedHashMap<>(networks);
    String primary = primaryNetwork();
    if (primary != null) {
      others.remove(primary);
    }
    return others;
  }

  private static void subtractImageDefaults(ObjectNode config, JsonNode image) {
    if (config.get("Env") instanceof ArrayNode env) {
      Set<String> inherited = new HashSet<>();
      image.path("Env").forEach(e -> inherited.add(e.asText()));
      ArrayNode own = Docker.JSON.createArrayNode();
      env.forEach(
          e -> {
            if (!inherited.contains(e.asText())) {
              own.add(e);
            }
          });
      config.set("Env", own);
    }
    if (config.get("Labels") instanceof ObjectNode labels) {
      JsonNode imageLabels = image.path("Labels");
      for (Iterator<Map.Entry<String, JsonNode>> it = labels.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> label = it.next();
        if (label.getValue().equals(imageLabels.get(label.getKey()))) {
          it.remove();
        }
      }
    }
    boolean sameEntrypoint = same(config.get("Entrypoint"), image.get("Entrypoint"));
    if (sameEntrypoint) {
      config.remove("Entrypoint");
      if (same(config.get("Cmd"), image.get("Cmd"))) {
        config.remove("Cmd");
      }
    }
    if (config.get("ExposedPorts") instanceof ObjectNode ports) {
      image.path("ExposedPorts").fieldNames().forEachRemaining(ports::remove);
      if (ports.isEmpty()) {
        config.remove("ExposedPorts");
      }
    }
    for (String key : IMAGE_DEFAULTS) {
      if (same(config.get(key), image.get(key))) {
        config.remove(key);
      }
    }
  }

  /** Both absent, empty or equal. */
  private static boolean same(JsonNode a, JsonNode b) {
    return empty(a) ? empty(b) : a.equals(b);
  }

  private static boolean empty(JsonNode node) {
    return node == null
        || node.isNull()
        || node.isContainerNode() && node.isEmpty()
        || node.isTextual() && node.asText().isEmpty();
  }

  /** Anonymous volumes the container uses become named binds, so their data is kept. */
  private static void keepAnonymousVolumes(JsonNode container, ObjectNode hostConfig) {
    Set<String> destinations = new HashSet<>();
    hostConfig.path("Binds").forEach(b -> destinations.add(bindDestination(b.asText())));
    hostConfig.path("Mounts").forEach(m -> destinations.add(m.path("Target").asText()));
    List<String> added = new ArrayList<>();
    for (JsonNode mount : container.path("Mounts")) {
      String destination = mount.path("Destination").asText();
      if ("volume".equals(mount.path("Type").asText()) && !destinations.contains(destination)) {
        added.add(
            mount.path("Name").asText()
                + ":"
                + destination
                + (mount.path("RW").asBoolean(true) ? "" : ":ro"));
      }
    }
    if (!added.isEmpty()) {
      ArrayNode binds =
          hostConfig.get("Binds") instanceof ArrayNode existing
              ? existing
              : hostConfig.putArray("Binds");
      added.forEach(binds::add);
    }
  }

  private static String bindDestination(String bind) {
    String[] parts = bind.split(":");
    return parts.length >= 2 ? parts[1] : parts[0];
  }

  /** What create and connect accept of an endpoint: aliases (without the old id), addresses. */
  private static ObjectNode endpoint(JsonNode network, String containerId) {
    ObjectNode kept = Docker.JSON.createObjectNode();
    JsonNode ipam = network.get("IPAMConfig");
    if (ipam != null && !ipam.isNull() && !ipam.isEmpty()) {
      kept.set("IPAMConfig", ipam);
    }
    ArrayNode aliases = Docker.JSON.createArrayNode();
    network
        .path("Aliases")
        .forEach(
            alias -> {
              if (!containerId.startsWith(alias.asText())) {
                aliases.add(alias);
              }
            });
    if (!aliases.isEmpty()) {
      kept.set("Aliases", aliases);
    }
    for (String key : List.of("Links", "DriverOpts")) {
      JsonNode value = network.get(key);
      if (value != null && !value.isNull() && !value.isEmpty()) {
        kept.set(key, value);
      }
    }
    return kept;
  }

  private static Map<String, Object> toMap(JsonNode node) {
    return Docker.JSON.convertValue(node, MAP);
  }
}
