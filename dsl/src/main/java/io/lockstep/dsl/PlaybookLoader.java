package io.lockstep.dsl;

import io.lockstep.engine.model.Playbook;
import java.nio.file.Path;
import java.util.Map;

/**
 * Compiles a Groovy playbook and an environment file into a resolved {@link Playbook}, validating
 * everything before returning. (Being written.)
 *
 * <pre>{@code
 * Playbook playbook = PlaybookLoader.create()
 *     .load(Path.of("playbooks/demo/upgrade.groovy"), Path.of("playbooks/demo/env/local.groovy"),
 *           Map.of("version", "1.1.0"));
 * }</pre>
 */
public final class PlaybookLoader {

  private PlaybookLoader() {}

  /** A loader knowing the step types found on the class path. */
  public static PlaybookLoader create() {
    return new PlaybookLoader();
  }

  /**
   * @param playbookFile the {@code .groovy} playbook
   * @param environmentFile the environment file, or {@code null} for a playbook without one
   * @param params parameter values as given on the command line (converted to declared types)
   * @throws PlaybookException listing every problem found
   */
  public Playbook load(Path playbookFile, Path environmentFile, Map<String, String> params) {
    throw new UnsupportedOperationException("not yet");
  }
}
