package io.lockstep.engine.spi;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a run is: written as the data of its {@link RecordType#RUN_STARTED} record, enough to reload
 * the same playbook on resume.
 */
public record RunHeader(
    String runId,
    String playbook,
    String environment,
    String playbookFile,
    String environmentFile,
    String fingerprint,
    Map<String, Object> params,
    Instant startedAt,
    String startedBy) {

  public RunHeader {
    params = params == null ? Map.of() : Map.copyOf(params);
  }

  public String lockKey() {
    return playbook + "@" + environment;
  }

  public Map<String, Object> toData() {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("runId", runId);
    data.put("playbook", playbook);
    data.put("environment", environment);
    data.put("playbookFile", playbookFile);
    data.put("environmentFile", environmentFile);
    data.put("fingerprint", fingerprint);
    data.put("params", params);
    data.put("startedAt", startedAt.toString());
    data.put("startedBy", startedBy);
    return data;
  }

  @SuppressWarnings("unchecked")
  public static RunHeader fromData(Map<String, Object> data) {
    Object params = data.get("params");
    return new RunHeader(
        (String) data.get("runId"),
        (String) data.get("playbook"),
        (String) data.get("environment"),
        (String) data.get("playbookFile"),
        (String) data.get("environmentFile"),
        (String) data.get("fingerprint"),
        params instanceof Map ? (Map<String, Object>) params : Map.of(),
        Instant.parse((String) data.get("startedAt")),
        (String) data.get("startedBy"));
  }
}
