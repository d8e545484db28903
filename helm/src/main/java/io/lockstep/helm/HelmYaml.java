package io.lockstep.helm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.lockstep.steps.StepFailedException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;

/** Values and kubeconfigs between Helm's YAML, the JSON outputs and the YAML artifacts. */
final class HelmYaml {

  private static final ObjectMapper JSON =
      new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  private HelmYaml() {}

  /** A YAML mapping; empty for an empty document or {@code null} (Helm's "no values"). */
  @SuppressWarnings("unchecked")
  static Map<String, Object> map(String yaml, String what) {
    if (yaml == null || yaml.isBlank()) {
      return new LinkedHashMap<>();
    }
    Object value;
    try {
      value = new Load(LoadSettings.builder().build()).loadFromString(yaml);
    } catch (RuntimeException e) {
      throw new StepFailedException(what + " is not valid YAML: " + e.getMessage(), e);
    }
    if (value == null) {
      return new LinkedHashMap<>();
    }
    if (!(value instanceof Map<?, ?>)) {
      throw new StepFailedException(what + " is not a YAML mapping");
    }
    return new LinkedHashMap<>((Map<String, Object>) value);
  }

  static String dump(Map<String, Object> map) {
    return new Dump(DumpSettings.builder().setDefaultFlowStyle(FlowStyle.BLOCK).build())
        .dumpToString(map);
  }

  /** Canonical JSON (keys sorted), so equal values compare equal as text. */
  static String json(Map<String, Object> map) {
    try {
      return JSON.writeValueAsString(map);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("values cannot be written as JSON: " + e.getMessage(), e);
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> fromJson(String json) {
    try {
      return json == null ? new LinkedHashMap<>() : JSON.readValue(json, LinkedHashMap.class);
    } catch (JsonProcessingException e) {
      throw new StepFailedException("recorded values are not JSON: " + e.getMessage(), e);
    }
  }
}
