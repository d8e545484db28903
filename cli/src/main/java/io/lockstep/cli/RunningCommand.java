package io.lockstep.cli;

import io.lockstep.dsl.PlaybookLoader;
import io.lockstep.engine.Lockstep;
import io.lockstep.engine.LockstepException;
import io.lockstep.engine.Plan;
import io.lockstep.engine.RunResult;
import io.lockstep.engine.model.Playbook;
import io.lockstep.engine.spi.RunHeader;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * A command that moves a run (run, resume, approve, rollback): shows progress while it moves, then
 * writes the report and prints what happened and what to do next.
 */
abstract class RunningCommand extends StoreCommand {

  /** Runs {@code work} on an engine reporting progress, then concludes; returns the exit code. */
  int drive(Playbook playbook, Function<Lockstep, RunResult> work) {
    RunResult result;
    Lockstep engine;
    try (Progress progress = Progress.create(terminal(), common.json, stepCount(playbook))) {
      engine = engine(progress);
      result = work.apply(engine);
    }
    return new Outcome(terminal(), common).conclude(engine, playbook, result);
  }

  /** The playbook a run was started from, reloaded from the files and parameters in its header. */
  static Playbook reload(RunHeader header) {
    if (header.playbookFile() == null) {
      throw new LockstepException(
          "run " + header.runId() + " was started from a playbook built in code, not from a file",
          "continue it from the program that started it");
    }
    Map<String, String> params = new LinkedHashMap<>();
    header.params().forEach((k, v) -> params.put(k, String.valueOf(v)));
    Path environment = header.environmentFile() == null ? null : Path.of(header.environmentFile());
    return PlaybookLoader.create().load(Path.of(header.playbookFile()), environment, params);
  }

  private static int stepCount(Playbook playbook) {
    return Plan.of(playbook).steps().size();
  }
}
