package io.lockstep.cli;

import io.lockstep.engine.LockstepException;
import io.lockstep.engine.ResumeOptions;
import io.lockstep.engine.RunStatus;
import io.lockstep.engine.RunView;
import io.lockstep.engine.model.Playbook;
import io.lockstep.engine.spi.JournalRecord;
import io.lockstep.engine.spi.RecordType;
import java.util.LinkedHashSet;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lockstep approve}: records an approval, then continues the run. */
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
    RunView view = engine(null).status(runId);
    String gateId = gate != null ? gate : waitingGate(view);
    Playbook playbook = reload(view.header());
    String by = System.getProperty("user.name");
    return drive(
        playbook,
        engine -> {
          engine.approve(runId, gateId, by, comment);
          return engine.resume(
              runId, playbook, new ResumeOptions(Set.of(), Set.of(), by, false, true));
        });
  }

  /** The gate the run asked approval for and has not received it yet. */
  private static String waitingGate(RunView view) {
    Set<String> waiting = new LinkedHashSet<>();
    for (JournalRecord r : view.records()) {
      if (r.type() == RecordType.APPROVAL_REQUESTED) {
        waiting.add(r.stepId());
      } else if (r.type() == RecordType.APPROVAL_GRANTED) {
        waiting.remove(r.stepId());
      }
    }
    if (view.status() != RunStatus.AWAITING_APPROVAL || waiting.isEmpty()) {
      throw new LockstepException(
          "run "
              + view.header().runId()
              + " is not waiting for an approval (it is "
              + view.status().display()
              + ")",
          "`lockstep status " + view.header().runId() + "` shows where it stands");
    }
    if (waiting.size() > 1) {
      throw new LockstepException(
          "run " + view.header().runId() + " waits at several gates: " + String.join(", ", waiting),
          "name the gate: lockstep approve " + view.header().runId() + " GATE");
    }
    return waiting.iterator().next();
  }
}
