package io.lockstep.dsl;

import io.lockstep.dsl.internal.CompilerBackend;
import io.lockstep.engine.model.Playbook;
import io.lockstep.engine.spi.StepTypes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Compiles a Groovy playbook and an environment file into a resolved {@link Playbook}, validating
 * everything before returning: a playbook with any problem never yields a model, so nothing runs
 * from it.
 *
 * <pre>{@code
 * Playbook playbook = PlaybookLoader.create()
 *     .load(Path.of("playbooks/demo/upgrade.groovy"), Path.of("playbooks/demo/env/local.groovy"),
 *           Map.of("version", "1.1.0"));
 * }</pre>
 *
 * Embedders with their own step types use {@link #create(StepTypes)}. A loader is immutable and may
 * be shared between threads.
 */
public final class PlaybookLoader {

  private static final String BACKEND = "io.lockstep.dsl.internal.PlaybookCompiler";

  private final StepTypes stepTypes;

  private PlaybookLoader(StepTypes stepTypes) {
    this.stepTypes = Objects.requireNonNull(stepTypes, "stepTypes");
  }

  /** A loader knowing the step types registered on the class path. */
  public static PlaybookLoader create() {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    return new PlaybookLoader(
        StepTypes.load(loader != null ? loader : PlaybookLoader.class.getClassLoader()));
  }

  /** A loader knowing exactly these step types. */
  public static PlaybookLoader create(StepTypes stepTypes) {
    return new PlaybookLoader(stepTypes);
  }

  /** The step types playbooks loaded by this loader may call. */
  public StepTypes stepTypes() {
    return stepTypes;
  }

  /**
   * @param playbookFile the {@code .groovy} playbook
   * @param environmentFile the environment file, or {@code null} for a playbook without one (its
   *     environment is then named {@code default} and has no targets, vars or secrets)
   * @param params parameter values as given on the command line (converted to declared types)
   * @throws PlaybookException listing every problem found
   */
  public Playbook load(Path playbookFile, Path environmentFile, Map<String, String> params) {
    Objects.requireNonNull(playbookFile, "playbookFile");
    CompilerBackend.Input playbook = read(playbookFile, "playbook");
    CompilerBackend.Input environment =
        environmentFile == null ? null : read(environmentFile, "environment");
    return backend().compile(playbook, environment, params == null ? Map.of() : params, stepTypes);
  }

  /**
   * Like {@link #load(Path, Path, Map)}, from source text (tests, embedders that keep playbooks
   * elsewhere). The model's {@link Playbook.Source} has no files; its base directory is the working
   * directory, against which {@code inherits} paths resolve too.
   */
  public Playbook loadText(
      String playbookSource, String environmentSource, Map<String, String> params) {
    Objects.requireNonNull(playbookSource, "playbookSource");
    CompilerBackend.Input playbook =
        new CompilerBackend.Input(
            "playbook.groovy", null, playbookSource.getBytes(StandardCharsets.UTF_8));
    CompilerBackend.Input environment =
        environmentSource == null
            ? null
            : new CompilerBackend.Input(
                "environment.groovy", null, environmentSource.getBytes(StandardCharsets.UTF_8));
    return backend().compile(playbook, environment, params == null ? Map.of() : params, stepTypes);
  }

  /**
   * Every problem {@link #load(Path, Path, Map)} would report, or an empty list when the playbook
   * is valid.
   */
  public List<Problem> validate(
      Path playbookFile, Path environmentFile, Map<String, String> params) {
    try {
      load(playbookFile, environmentFile, params);
      return List.of();
    } catch (PlaybookException e) {
      return e.problems();
    }
  }

  private static CompilerBackend.Input read(Path file, String what) {
    Path absolute = file.toAbsolutePath().normalize();
    try {
      return new CompilerBackend.Input(file.toString(), absolute, Files.readAllBytes(absolute));
    } catch (IOException e) {
      String message =
          Files.exists(absolute)
              ? "cannot read " + what + " file: " + e.getMessage()
              : what + " file not found";
      throw new PlaybookException(
          List.of(new Problem(file.toString(), 0, 0, message, "check the path")));
    }
  }

  private static CompilerBackend backend() {
    try {
      return (CompilerBackend)
          Class.forName(BACKEND, true, PlaybookLoader.class.getClassLoader())
              .getDeclaredConstructor()
              .newInstance();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("the DSL compiler is missing from the class path", e);
    }
  }
}
