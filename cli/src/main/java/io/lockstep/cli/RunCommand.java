package io.lockstep.cli;

import io.lockstep.dsl.PlaybookLoader;
import io.lockstep.engine.RunOptions;
import io.lockstep.engine.model.Playbook;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code lockstep run}: starts a run; on failure it rolls back unless told not to. */
@Command(
    name = "run",
    description = "Run a playbook. On failure the finished steps are undone, last first.")
final class RunCommand extends RunningCommand {

  @Mixin PlaybookArgs args;

  @Option(
      names = "--no-rollback",
      description =
          "On failure stop without undoing anything (exit 5); `rollback RUN` undoes later.")
  boolean noRollback;

  @Option(
      names = "--approve",
      paramLabel = "GATE",
      description = "Approve this gate in advance, so the run does not pause there; repeatable.")
  List<String> approve = List.of();

  @Override
  public Integer call() {
    args.requirePlaybook();
    Playbook playbook =
        PlaybookLoader.create().load(args.playbook, args.environmentFile(), args.params);
    Set<String> gates = new LinkedHashSet<>(approve);
    RunOptions options =
        RunOptions.DEFAULTS
            .withRollbackOnFailure(!noRollback)
            .withPreApproved(gates, gates.isEmpty() ? null : System.getProperty("user.name"));
    return drive(playbook, engine -> engine.run(playbook, options));
  }
}
