package io.lockstep.dsl.internal;

import io.lockstep.dsl.PlaybookException;
import io.lockstep.engine.model.Playbook;
import io.lockstep.engine.spi.StepTypes;
import java.nio.file.Path;
import java.util.Map;

/**
 * The Groovy side of the loader. {@link io.lockstep.dsl.PlaybookLoader} stays plain Java (embedders
 * see no Groovy types) and reaches the compiler, which is written in Groovy, through this
 * interface.
 */
public interface CompilerBackend {

  /**
   * Compiles, validates and builds.
   *
   * @param environment the environment source, or {@code null}
   * @throws PlaybookException with every problem found
   */
  Playbook compile(
      Input playbook, Input environment, Map<String, String> params, StepTypes stepTypes);

  /**
   * One source file.
   *
   * @param displayName the file as the user named it (used in problems)
   * @param file the absolute file, or {@code null} for source given as text
   * @param bytes the file's content, UTF-8
   */
  record Input(String displayName, Path file, byte[] bytes) {}
}
