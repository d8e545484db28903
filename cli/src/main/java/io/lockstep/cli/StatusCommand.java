package io.lockstep.cli;

import io.lockstep.cli.Terminal.Symbol;
import io.lockstep.engine.Lockstep;
import io.lockstep.engine.LockstepException;
import io.lockstep.engine.RunView;
import io.lockstep.engine.RunView.StepView;
import io.lockstep.engine.spi.JournalRecord;
import io.lockstep.engine.spi.RunHeader;
import java.io.PrintStream;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code lockstep status}: a run as its journal tells it. */
@Command(
    name = "status",
    description = "Show a run (default: the latest): its steps and its journal.")
final class StatusCommand extends StoreCommand {

  private static final DateTimeFormatter DATE_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

  @Parameters(index = "0", arity = "0..1", paramLabel = "RUN", description = "The run id.")
  String runId;

  @Override
  public Integer call() {
    Lockstep engine = engine(null);
    String id = runId != null ? runId : latest(engine);
    RunView view = engine.status(id);
    if (common.json) {
      terminal().out().println(Json.line(view));
    } else {
      print(view);
    }
    return ExitCode.OK;
  }

  private String latest(Lockstep engine) {
    List<RunHeader> runs = engine.history();
    if (runs.isEmpty()) {
      throw new LockstepException(
          "no runs in " + storeDir(), "start one with `lockstep run PLAYBOOK -e ENV`");
    }
    return runs.get(0).runId();
  }

  private void print(RunView view) {
    Terminal t = terminal();
    PrintStream out = t.out();
    RunHeader h = view.header();
    out.println("Run       " + h.runId());
    out.println("Playbook  " + h.playbook() + " @ " + h.environment());
    if (h.playbookFile() != null) {
      out.println("          " + h.playbookFile());
    }
    if (h.environmentFile() != null) {
      out.println("          " + h.environmentFile());
    }
    out.println("Params    " + PlanPrinter.pairs(h.params()));
    out.println("Started   " + DATE_TIME.format(h.startedAt()) + " by " + h.startedBy());
    String message =
        view.message() == null || view.message().isBlank() ? "" : "  " + view.message();
    out.println("Status    " + view.status().display() + message);
    out.println(
        "Updated   "
            + DATE_TIME.format(view.updatedAt())
            + "  ("
            + Durations.between(h.startedAt(), view.updatedAt())
            + " after start)");
    out.println();

    out.println("Steps");
    if (view.steps().isEmpty()) {
      out.println("  none started");
    } else {
      Table steps = new Table("STEP", "STATE", "ATTEMPTS", "DURATION", "UNDO").alignRight(2);
      for (StepView s : view.steps()) {
        steps.row(
            s.stepId(),
            state(t, s),
            s.attempts(),
            Durations.between(s.startedAt(), s.finishedAt()),
            undo(s));
      }
      steps.print(out, "  ");
      for (StepView s : view.steps()) {
        if (s.error() != null) {
          out.println("  " + t.sym(Symbol.FAIL) + " " + s.stepId() + ": " + s.error());
        }
      }
    }
    out.println();

    out.println("Journal");
    Table journal = new Table("SEQ", "TIME", "RECORD", "STEP", "DETAIL").alignRight(0);
    for (JournalRecord r : view.records()) {
      journal.row(r.seq(), TIME.format(r.at()), r.type(), r.stepId(), detail(r));
    }
    journal.print(out, "  ");

    List<String> next = nextSteps(view);
    if (!next.isEmpty()) {
      out.println();
      out.println("Next");
      next.forEach(line -> out.println("  " + line));
    }
  }

  private List<String> nextSteps(RunView view) {
    String id = view.header().runId();
    String store = common.storeArgument();
    List<String> next = new ArrayList<>();
    switch (view.status()) {
      case AWAITING_APPROVAL -> next.add("lockstep approve " + id + store);
      case NEEDS_DECISION -> {
        for (StepView s : view.steps()) {
          if (s.state() == RunView.State.STARTED) {
            next.add(
                "lockstep resume "
                    + id
                    + " --mark-done "
                    + s.stepId()
                    + store
                    + "   # it took effect");
            next.add(
                "lockstep resume " + id + " --retry " + s.stepId() + store + "       # it did not");
          }
        }
      }
      case FAILED -> {
        next.add("lockstep rollback " + id + store + "   # undo the finished steps");
        next.add("lockstep resume " + id + store + "     # retry after a fix");
      }
      case COMPENSATION_FAILED ->
          next.add("lockstep rollback " + id + store + "   # retry what is left to undo");
      case RUNNING, ROLLING_BACK ->
          next.add(
              "if no lockstep process is working on it any more: lockstep resume " + id + store);
      case SUCCEEDED, ROLLED_BACK -> {}
    }
    return next;
  }

  /** The one fact of a record worth a glance; the full data is in {@code status --json}. */
  private static String detail(JournalRecord r) {
    return switch (r.type()) {
      case RUN_STATUS -> display(r.text("status"));
      case STEP_STARTED -> "attempt " + r.text("attempt");
      case STEP_FAILED, COMPENSATION_FAILED ->
          Boolean.TRUE.equals(r.data().get("final")) ? "final" : "will retry";
      case STEP_DECIDED -> r.text("decision") + " by " + r.text("by");
      case APPROVAL_GRANTED -> "by " + r.text("by");
      default -> "";
    };
  }

  private static String display(String status) {
    return status == null ? "" : status.toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }

  private static String state(Terminal t, StepView s) {
    return switch (s.state()) {
      case FINISHED -> t.sym(Symbol.OK) + " finished";
      case FAILED -> t.sym(Symbol.FAIL) + " failed";
      case STARTED -> t.sym(Symbol.DECIDE) + " started";
    };
  }

  private static String undo(StepView s) {
    return switch (s.compensated()) {
      case NO -> "-";
      case STARTED -> "started";
      case DONE -> "undone";
      case FAILED -> "FAILED";
    };
  }
}
