package io.lockstep.engine.model;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A fully resolved playbook: the tree of steps for one environment and one set of parameter values.
 * Immutable; the DSL builds one from Groovy source, an embedder may build one in Java.
 *
 * @param name playbook name; with {@code environment} it keys the run lock
 * @param environment environment name, such as {@code prod}
 * @param root the tree of steps
 * @param params parameter values this playbook was resolved with (no secrets)
 * @param vars environment variables visible to steps (no secrets)
 * @param secretNames secrets steps may ask for, by name
 * @param source where the playbook and environment came from, so a resume can reload them
 * @param baseDir directory relative paths resolve against
 */
public record Playbook(
    String name,
    String environment,
    Group root,
    Map<String, Object> params,
    Map<String, Object> vars,
    List<String> secretNames,
    Source source,
    Path baseDir) {

  public Playbook {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(environment, "environment");
    Objects.requireNonNull(root, "root");
    params = Map.copyOf(params);
    vars = Map.copyOf(vars);
    secretNames = List.copyOf(secretNames);
    source = source == null ? Source.NONE : source;
    baseDir = baseDir == null ? Path.of("").toAbsolutePath() : baseDir;
  }

  /** A playbook built in Java with the given root and nothing else. */
  public static Playbook of(String name, String environment, Group root) {
    return new Playbook(name, environment, root, Map.of(), Map.of(), List.of(), Source.NONE, null);
  }

  /** The lock key: one active run per playbook and environment. */
  public String lockKey() {
    return name + "@" + environment;
  }

  /**
   * Where a playbook came from. Files are absolute paths or {@code null} for playbooks built in
   * code; {@code fingerprint} changes whenever the resolved tree would (used to refuse resuming a
   * run with a changed playbook).
   */
  public record Source(String playbookFile, String environmentFile, String fingerprint) {
    public static final Source NONE = new Source(null, null, "");
  }
}
