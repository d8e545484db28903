package io.lockstep.helm;

import io.lockstep.engine.model.StepContext;
import io.lockstep.steps.StepFailedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Where a chart comes from: a local directory or {@code .tgz} (resolved against the playbook), or a
 * repository reference ({@code repo/name} or {@code oci://...}) with an optional version.
 *
 * @param ref the absolute path, or the reference as given
 * @param version the repository chart's version, or {@code null} (local charts have their own)
 */
record ChartSource(String ref, String version, boolean local) {

  private static final Pattern REPO_REF =
      Pattern.compile("[A-Za-z0-9][\\w.-]*/[A-Za-z0-9][\\w.-]*");

  /**
   * Reads a {@code chart:} (or {@code rollbackChart:}) argument. A text that names an existing file
   * or directory, starts with {@code /}, {@code ./} or {@code ../}, or ends with {@code .tgz} is a
   * path; {@code repo/name} and {@code oci://} are references.
   */
  static ChartSource resolve(StepContext ctx, String argument, String text, String version) {
    String value = text.strip();
    if (value.startsWith("oci://")) {
      return new ChartSource(value, version, false);
    }
    Path path = Path.of(value);
    Path absolute = (path.isAbsolute() ? path : ctx.baseDir().resolve(path)).normalize();
    boolean pathLike =
        value.startsWith("/")
            || value.startsWith("./")
            || value.startsWith("../")
            || value.endsWith(".tgz");
    if (Files.exists(absolute)) {
      return new ChartSource(absolute.toString(), null, true);
    }
    if (!pathLike && REPO_REF.matcher(value).matches()) {
      return new ChartSource(value, version, false);
    }
    throw new StepFailedException(
        argument
            + " '"
            + value
            + "': "
            + absolute
            + " does not exist; give a chart directory or .tgz relative to the playbook, or a"
            + " repository chart as repo/name with version:");
  }

  /** The same chart at another version (repository charts only). */
  ChartSource atVersion(String otherVersion) {
    return new ChartSource(ref, otherVersion, false);
  }

  HelmRequest.ChartRef toRef() {
    return new HelmRequest.ChartRef(ref, version);
  }

  /** {@code /charts/tyk-dev-portal} or {@code tyk/tyk-dev-portal version 1.0.0}. */
  String describe() {
    return version == null ? ref : ref + " version " + version;
  }
}
