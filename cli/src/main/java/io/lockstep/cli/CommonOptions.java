package io.lockstep.cli;

import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/** Options every command that reads or writes runs accepts. */
public final class CommonOptions {

  @Option(
      names = "--store",
      paramLabel = "DIR",
      description = "Journal store directory (default: $LOCKSTEP_HOME, else ./.lockstep).")
  Path store;

  @Option(
      names = "--json",
      description = "Machine-readable output: one JSON object per line for run events.")
  boolean json;

  /** The store directory: {@code --store}, else {@code $LOCKSTEP_HOME}, else {@code .lockstep}. */
  Path storeDir(Map<String, String> env) {
    if (store != null) {
      return store;
    }
    String home = env.get("LOCKSTEP_HOME");
    return home == null || home.isBlank() ? Path.of(".lockstep") : Path.of(home);
  }

  /**
   * The {@code --store} part of a command to print for the user, so that copying it works: empty
   * unless the store was given on the command line.
   */
  String storeArgument() {
    return store == null ? "" : " --store " + Shell.quote(store.toString());
  }
}
