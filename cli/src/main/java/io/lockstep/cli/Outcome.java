package io.lockstep.cli;

import io.lockstep.cli.Terminal.Symbol;
import io.lockstep.engine.Lockstep;
import io.lockstep.engine.RunResult;
import io.lockstep.engine.RunView;
import io.lockstep.engine.model.Playbook;
import io.lockstep.engine.report.RunReport;
import io.lockstep.engine.spi.RunJournal;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The end of a run, resume or rollback: writes the report, says what happened and what the operator
 * can do next (with commands ready to copy), and picks the exit code.
 */
final class Outcome {

  private final Terminal terminal;
  private final CommonOptions common;
  private final PrintStream say;

  Outcome(Terminal terminal, CommonOptions common) {
    this.terminal = terminal;
    this.common = common;
    // With --json, standard output carries JSON only; sentences for people go to stderr.
    this.say = common.json ? terminal.err() : terminal.out();
  }

  int conclude(Lockstep engine, Playbook playbook, RunResult result) {
    RunView view = null;
    Path report = null;
    try {
      Path dir;
      // One read of the journal for both the view and the artifacts directory.
      try (RunJournal journal = engine.store().open(result.runId())) {
        view = RunView.of(journal.records());
        dir = journal.artifactsDir();
      }
      RunReport.Written written = RunReport.of(view).withPlaybook(playbook).writeTo(dir);
      report = written.html();
    } catch (Exception e) {
      // The run's outcome matters more than its report: say so and carry on.
      terminal.err().println("warning: could not write the run report: " + e);
    }
    int code = ExitCode.of(result.status());
    describe(result, view);
    if (report != null) {
      say.println("  report: " + report + " (and report.md)");
    }
    if (common.json) {
      terminal.out().println(Json.line(jsonResult(result, code, report)));
    }
    return code;
  }

  private void describe(RunResult r, RunView view) {
    String run = "run " + r.runId();
    String took =
        view == null ? "" : " in " + Durations.between(view.header().startedAt(), view.updatedAt());
    String again = common.storeArgument();
    switch (r.status()) {
      case SUCCEEDED -> say.println(sym(Symbol.OK) + " " + run + " succeeded" + took);
      case ROLLED_BACK -> {
        failedLine(r);
        say.println(sym(Symbol.UNDO) + " rolled back" + took + ": undone " + list(r.compensated()));
        notUndone(r);
      }
      case COMPENSATION_FAILED -> {
        failedLine(r);
        say.println(sym(Symbol.FAIL) + " rollback incomplete: a compensation failed");
        say.println("  undone:     " + list(r.compensated()));
        say.println("  NOT undone: " + list(r.notUndone()) + "  (their effect is still in place)");
        say.println(
            "hint: fix the cause, then `lockstep rollback "
                + r.runId()
                + again
                + "` retries what is left to undo");
      }
      case FAILED -> {
        failedLine(r);
        say.println("  not rolled back (--no-rollback); the finished steps are still in effect.");
        say.println("  to undo them:          lockstep rollback " + r.runId() + again);
        say.println("  to retry after a fix:  lockstep resume " + r.runId() + again);
      }
      case AWAITING_APPROVAL -> {
        String gate = r.waitingFor().isEmpty() ? "GATE" : r.waitingFor().get(0);
        say.println(
            sym(Symbol.PAUSE)
                + " "
                + run
                + " paused at approval gate "
                + gate
                + (r.message() == null ? "" : ": " + r.message()));
        say.println("  to continue: lockstep approve " + r.runId() + " " + gate + again);
      }
      case NEEDS_DECISION -> {
        say.println(
            sym(Symbol.DECIDE)
                + " "
                + run
                + " needs a decision: "
                + list(r.waitingFor())
                + " started but did not finish, and lockstep cannot tell whether it took effect.");
        say.println("  check each one, then either");
        for (String step : r.waitingFor()) {
          say.println(
              "    lockstep resume "
                  + r.runId()
                  + " --mark-done "
                  + step
                  + again
                  + "   # it took effect");
          say.println(
              "    lockstep resume "
                  + r.runId()
                  + " --retry "
                  + step
                  + again
                  + "       # it did not; safe to run again");
        }
      }
      case RUNNING, ROLLING_BACK ->
          say.println(sym(Symbol.FAIL) + " " + run + " stopped while " + r.status().display());
    }
  }

  private void failedLine(RunResult r) {
    String where = r.failedStep() == null ? "" : " at " + r.failedStep();
    String error = r.error() == null ? "" : ": " + r.error();
    say.println(sym(Symbol.FAIL) + " run " + r.runId() + " failed" + where + error);
  }

  private void notUndone(RunResult r) {
    if (!r.notUndone().isEmpty()) {
      say.println(
          sym(Symbol.WARN)
              + " not undone (irreversible or no compensation): "
              + list(r.notUndone()));
    }
  }

  private String sym(Symbol symbol) {
    return terminal.sym(symbol);
  }

  private static String list(List<String> ids) {
    return ids.isEmpty() ? "nothing" : String.join(", ", ids);
  }

  private static Map<String, Object> jsonResult(RunResult r, int code, Path report) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("type", "RUN_RESULT");
    json.put("runId", r.runId());
    json.put("status", r.status());
    json.put("exitCode", code);
    json.put("message", r.message());
    json.put("failedStep", r.failedStep());
    json.put("error", r.error());
    json.put("compensated", r.compensated());
    json.put("notUndone", r.notUndone());
    json.put("waitingFor", r.waitingFor());
    json.put("report", report == null ? null : report.toString());
    return json;
  }
}
