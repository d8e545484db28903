package io.lockstep.kubernetes;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The environment a container of a pod template will get, as {@code kubectl set env --list
 * --resolve} shows it: {@code envFrom} sources in order, then {@code env}, a later one winning,
 * with values taken from the ConfigMaps and Secrets they name. A variable whose value only a
 * running pod knows ({@code fieldRef}, {@code resourceFieldRef}), or whose source is missing, is
 * kept apart with why. Variables set by the image itself are not visible here.
 */
final class ContainerEnv {

  /** The values found, by variable. */
  final Map<String, String> values = new LinkedHashMap<>();

  /** The variables set but not readable here, with why: {@code is set from ...}. */
  final Map<String, String> unreadable = new LinkedHashMap<>();

  private final Workload workload;
  private final Map<String, ConfigMap> configMaps = new HashMap<>();
  private final Map<String, Secret> secrets = new HashMap<>();

  private ContainerEnv(Workload workload) {
    this.workload = workload;
  }

  /** Resolves {@code container}'s environment, reading the ConfigMaps and Secrets it names. */
  static ContainerEnv of(Workload workload, Container container) {
    ContainerEnv env = new ContainerEnv(workload);
    if (container.getEnvFrom() != null) {
      container.getEnvFrom().forEach(env::addAll);
    }
    if (container.getEnv() != null) {
      container.getEnv().forEach(env::add);
    }
    return env;
  }

  private void addAll(EnvFromSource source) {
    String prefix = source.getPrefix() == null ? "" : source.getPrefix();
    if (source.getConfigMapRef() != null) {
      ConfigMap map = configMap(source.getConfigMapRef().getName());
      if (map != null && map.getData() != null) {
        map.getData().forEach((key, value) -> set(prefix + key, value));
      }
    }
    if (source.getSecretRef() != null) {
      Secret secret = secret(source.getSecretRef().getName());
      if (secret != null) {
        secretData(secret).forEach((key, value) -> set(prefix + key, value));
      }
    }
  }

  private void add(EnvVar variable) {
    String name = variable.getName();
    EnvVarSource from = variable.getValueFrom();
    if (from == null) {
      set(name, variable.getValue() == null ? "" : variable.getValue());
    } else if (from.getSecretKeyRef() != null) {
      String secretName = from.getSecretKeyRef().getName();
      String key = from.getSecretKeyRef().getKey();
      Secret secret = secret(secretName);
      String value = secret == null ? null : secretData(secret).get(key);
      keyed(name, value, "secret " + secretName, key, secret != null);
    } else if (from.getConfigMapKeyRef() != null) {
      String mapName = from.getConfigMapKeyRef().getName();
      String key = from.getConfigMapKeyRef().getKey();
      ConfigMap map = configMap(mapName);
      String value = map == null || map.getData() == null ? null : map.getData().get(key);
      keyed(name, value, "configmap " + mapName, key, map != null);
    } else if (from.getFieldRef() != null) {
      unset(name, "is set from the pod's field " + from.getFieldRef().getFieldPath());
    } else {
      unset(name, "is set from a value only the running pod knows");
    }
  }

  private void keyed(String name, String value, String source, String key, boolean sourceExists) {
    if (value != null) {
      set(name, value);
    } else {
      unset(
          name,
          "is set from key "
              + key
              + " of "
              + source
              + (sourceExists ? ", which has no such key" : ", which does not exist")
              + " in namespace "
              + workload.namespace());
    }
  }

  private void set(String name, String value) {
    values.put(name, value);
    unreadable.remove(name);
  }

  private void unset(String name, String why) {
    values.remove(name);
    unreadable.put(name, why);
  }

  private ConfigMap configMap(String name) {
    return configMaps.computeIfAbsent(
        name,
        n ->
            workload.call(
                "read configmap " + n + " (namespace " + workload.namespace() + ")",
                () ->
                    workload
                        .client()
                        .configMaps()
                        .inNamespace(workload.namespace())
                        .withName(n)
                        .get()));
  }

  private Secret secret(String name) {
    return secrets.computeIfAbsent(
        name,
        n ->
            workload.call(
                "read secret " + n + " (namespace " + workload.namespace() + ")",
                () ->
                    workload
                        .client()
                        .secrets()
                        .inNamespace(workload.namespace())
                        .withName(n)
                        .get()));
  }

  /**
   * A Secret's values: {@code data} base64-decoded, then {@code stringData} as the server would.
   */
  private static Map<String, String> secretData(Secret secret) {
    Map<String, String> data = new LinkedHashMap<>();
    if (secret.getData() != null) {
      secret
          .getData()
          .forEach(
              (key, value) ->
                  data.put(
                      key, new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8)));
    }
    if (secret.getStringData() != null) {
      data.putAll(secret.getStringData());
    }
    return data;
  }
}
