package io.lockstep.cli;

import io.lockstep.engine.ResumeOptions;
import io.lockstep.engine.model.Playbook;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code lockstep approve}: records an approval in the run's journal, then continues the run with
 * the playbook reloaded from the files and parameters it started with.
 */
@Command(
    name = "approve",
    description = "Approve the gate a run is paused at, then continue the run.")
final class ApproveCommand extends RunningCommand {

  @Parameters(index = "0", paramLabel = "RUN", description = "The run id.")
  String runId;

  @Parameters(
      index = "1",
      arity = "0..1",
      paramLabel = "GATE",
      description = "The gate (default: the one the run is waiting at).")
  String gate;

  @Option(names = "--comment", paramLabel = "TEXT", description = "Recorded with the approval.")
  String comment;

  @Override
  public Integer call() {
    Playbook playbook = reload(engine(null).status(runId).header());
    String by = System.getProperty("user.name");
    // Approve first, outside the progress view: a wrong gate is reported before anything moves.
    engine(null).approve(runId, gate, by, comment);
    ResumeOptions options = new ResumeOptions(Set.of(), Set.of(), by, false, true);
    return drive(playbook, engine -> engine.resume(runId, playbook, options));
  }
}
