package io.lockstep.cli;

import io.lockstep.engine.LockstepException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The playbook, environment and parameters of {@code validate}, {@code plan} and {@code run}. */
public final class PlaybookArgs {

  @Parameters(index = "0", paramLabel = "PLAYBOOK", description = "The playbook (.groovy).")
  Path playbook;

  @Option(
      names = {"-e", "--env"},
      paramLabel = "ENV",
      description =
          "Environment: a file, or a name looked up as env/ENV.groovy next to the playbook.")
  String environment;

  @Option(
      names = {"-p", "--param"},
      paramLabel = "KEY=VALUE",
      description = "Parameter value; repeat for several.")
  Map<String, String> params = new LinkedHashMap<>();

  /** The environment file, or {@code null} when none was given. */
  Path environmentFile() {
    if (environment == null) {
      return null;
    }
    Path asGiven = Path.of(environment);
    if (Files.isRegularFile(asGiven)) {
      return asGiven;
    }
    Path envDir = envDir();
    Path byName = envDir.resolve(environment + ".groovy");
    if (!environment.contains("/") && Files.isRegularFile(byName)) {
      return byName;
    }
    List<String> known = knownEnvironments(envDir);
    throw new LockstepException(
        "no environment " + environment + ": neither a file nor " + byName,
        known.isEmpty()
            ? "give the environment file's path with -e"
            : "environments next to the playbook: " + String.join(", ", known));
  }

  private Path envDir() {
    Path parent = playbook.toAbsolutePath().getParent();
    return parent == null ? Path.of("env") : parent.resolve("env");
  }

  private static List<String> knownEnvironments(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".groovy"))
          .map(n -> n.substring(0, n.length() - ".groovy".length()))
          .sorted()
          .toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  /** Fails with a clear message when the playbook file does not exist. */
  void requirePlaybook() {
    if (!Files.isRegularFile(playbook)) {
      throw new LockstepException(
          "no playbook file " + playbook, "give the path of a .groovy playbook");
    }
  }
}
