package io.lockstep.engine.model;

import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an action, probe or compensation sees of its run. Implemented by the engine; an action never
 * creates one.
 */
public interface StepContext {

  String runId();

  /** Id of the step this context belongs to (for a compensation: the step being undone). */
  String stepId();

  /** The step's target, or {@code null}. */
  Target target();

  /** 1 for the first attempt. */
  int attempt();

  /** Resolved run parameters (no secret values). */
  Map<String, Object> params();

  /** Environment variables of the playbook (no secret values). */
  Map<String, Object> vars();

  /**
   * Outputs of a step that finished earlier in this run (or in the run being resumed).
   *
   * @throws IllegalStateException naming the step when it has not finished
   */
  Map<String, Object> outputs(String stepId);

  /** For a compensation, the outputs of the step it undoes; for an action, an empty map. */
  Map<String, Object> ownOutputs();

  /**
   * The value of a secret, resolved by the engine's secret resolver. The value is registered for
   * masking: it never appears in logs, events, reports or the journal.
   */
  String secret(String name);

  /** When this attempt began: "since this step began" for log checks. */
  Instant startedAt();

  /** When another step of this run first started, or {@code null} if it has not. */
  Instant stepStartedAt(String stepId);

  /** Directory for this run's artifacts (backups, dumps); created on demand. */
  Path artifactsDir();

  /** Directory relative paths in the playbook resolve against. */
  Path baseDir();

  /** Writes a line to the run log and to listeners, with secrets masked. */
  void log(String line);

  /** Set when the step must stop: timeout, or another parallel branch failed. */
  Cancellation cancellation();

  /**
   * What the steps of this run share, such as one SSH connection per host; the engine closes them
   * when the run stops driving. A context without sharing (a test's) opens a resource per call and
   * leaves closing to the caller.
   */
  default RunResources resources() {
    return new RunResources() {
      @Override
      public <T extends AutoCloseable> T get(String key, Class<T> type, Opener<T> opener)
          throws Exception {
        return opener.open();
      }

      @Override
      public void discard(String key) {}
    };
  }

  /**
   * Resolves secret references, output references and templates inside a value (recursively through
   * lists and maps), for use inside an action only. Every resolved secret is masked in output.
   *
   * @throws IllegalStateException when a referenced step has not finished or has no such output
   */
  default Object resolve(Object value) {
    if (value instanceof SecretRef ref) {
      return secret(ref.name());
    }
    if (value instanceof OutputRef ref) {
      Map<String, Object> outputs = outputs(ref.stepId());
      if (!outputs.containsKey(ref.key())) {
        throw new IllegalStateException(
            "step "
                + ref.stepId()
                + " has no output '"
                + ref.key()
                + "' (it has: "
                + String.join(", ", outputs.keySet())
                + ")");
      }
      return outputs.get(ref.key());
    }
    if (value instanceof Template template) {
      StringBuilder text = new StringBuilder();
      template.parts().forEach(part -> text.append(resolve(part)));
      return text.toString();
    }
    if (value instanceof List<?> list) {
      return list.stream().map(this::resolve).toList();
    }
    if (value instanceof Map<?, ?> map) {
      Map<Object, Object> resolved = new LinkedHashMap<>();
      map.forEach((k, v) -> resolved.put(k, resolve(v)));
      return resolved;
    }
    return value;
  }

  /** {@link #resolve(Object)} as a string; {@code null} stays {@code null}. */
  default String resolveText(Object value) {
    Object resolved = resolve(value);
    return resolved == null ? null : resolved.toString();
  }
}
