package io.lockstep.cli;

import io.lockstep.engine.RunStatus;
import io.lockstep.engine.model.Playbook;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code lockstep rollback}: undoes a failed, paused or interrupted run. */
@Command(
    name = "rollback",
    description = {
      "Undo a failed, paused or interrupted run: compensations in reverse finishing order.",
      "Exits 0 when everything was undone, 4 when a compensation failed."
    })
final class RollbackCommand extends RunningCommand {

  @Parameters(index = "0", paramLabel = "RUN", description = "The run id.")
  String runId;

  @Override
  public Integer call() {
    Playbook playbook = reload(engine(null).status(runId).header());
    int code = drive(playbook, engine -> engine.rollback(runId, playbook));
    // Asked to roll back and rolled back: the command did what was asked.
    return code == ExitCode.of(RunStatus.ROLLED_BACK) ? ExitCode.OK : code;
  }
}
