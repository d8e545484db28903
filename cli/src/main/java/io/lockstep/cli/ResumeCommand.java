package io.lockstep.cli;

import io.lockstep.engine.ResumeOptions;
import io.lockstep.engine.model.Playbook;
import io.lockstep.engine.spi.RunHeader;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lockstep resume}: continues an interrupted, failed or undecided run. */
@Command(
    name = "resume",
    description = {
      "Continue a run where it stopped: finished steps are skipped with their recorded outputs.",
      "The playbook is reloaded from the files and parameters the run started with."
    })
final class ResumeCommand extends RunningCommand {

  @Parameters(index = "0", paramLabel = "RUN", description = "The run id.")
  String runId;

  @Option(
      names = "--mark-done",
      paramLabel = "STEP",
      description = "You checked this in-doubt step: it took effect. Repeatable.")
  List<String> markDone = List.of();

  @Option(
      names = "--retry",
      paramLabel = "STEP",
      description = "You checked this in-doubt step: it is safe to run again. Repeatable.")
  List<String> retry = List.of();

  @Option(
      names = "--allow-changed",
      description = "Resume even though the playbook or environment changed since the run began.")
  boolean allowChanged;

  @Option(names = "--no-rollback", description = "On failure stop without undoing anything.")
  boolean noRollback;

  @Override
  public Integer call() {
    RunHeader header = engine(null).status(runId).header();
    Playbook playbook = reload(header);
    ResumeOptions options =
        new ResumeOptions(
            Set.copyOf(markDone),
            Set.copyOf(retry),
            System.getProperty("user.name"),
            allowChanged,
            !noRollback);
    return drive(playbook, engine -> engine.resume(runId, playbook, options));
  }
}
