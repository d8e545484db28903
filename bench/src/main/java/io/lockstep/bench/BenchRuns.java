package io.lockstep.bench;

import io.lockstep.engine.Lockstep;
import io.lockstep.engine.RunOptions;
import io.lockstep.engine.RunResult;
import io.lockstep.engine.RunStatus;
import io.lockstep.engine.model.Group;
import io.lockstep.engine.model.Node;
import io.lockstep.engine.model.Playbook;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Engine runs the benchmarks time: a playbook of steps in sequence, which must succeed. */
final class BenchRuns {

  private BenchRuns() {}

  /**
   * Runs {@code steps} one after the other as the playbook {@code name}.
   *
   * @param dir the playbook's directory
   * @throws IllegalStateException when the run does not succeed: its figures would mean nothing
   */
  static RunResult runInSequence(Lockstep engine, String name, List<Node> steps, Path dir) {
    Playbook playbook =
        new Playbook(
            name,
            "bench",
            new Group("", "", Group.Kind.SEQUENCE, steps),
            Map.of(),
            Map.of(),
            List.of(),
            null,
            dir);
    RunResult result = engine.run(playbook, RunOptions.DEFAULTS);
    if (result.status() != RunStatus.SUCCEEDED) {
      throw new IllegalStateException("run " + result.status() + ": " + result.error());
    }
    return result;
  }
}
