package io.lockstep.engine.report;

import io.lockstep.engine.report.ReportModel.Failure;
import io.lockstep.engine.report.ReportModel.Remaining;
import io.lockstep.engine.report.ReportModel.StepRow;
import io.lockstep.engine.spi.JournalRecord;
import java.util.Map;

/** Renders a {@link ReportModel} as GitHub-flavoured Markdown. */
final class MarkdownReport {

  private final ReportModel m;
  private final StringBuilder md = new StringBuilder();

  MarkdownReport(ReportModel model) {
    this.m = model;
  }

  String render() {
    md.append("# ").append(text(m.title())).append("\n\n");
    md.append("| | |\n|---|---|\n");
    row("Run", code(m.header.runId()));
    String message = m.view.message();
    row(
        "Status",
        "**"
            + m.status()
            + "**"
            + (message == null || message.isBlank() ? "" : " — " + cell(message)));
    row("Playbook", code(m.header.playbook()) + " " + file(m.header.playbookFile()));
    row("Environment", code(m.header.environment()) + " " + file(m.header.environmentFile()));
    row("Started", ReportModel.time(m.header.startedAt()) + " by " + cell(m.header.startedBy()));
    row("Duration", m.duration());
    md.append('\n');

    md.append("## Parameters\n\n");
    if (m.header.params().isEmpty()) {
      md.append("None.\n\n");
    } else {
      md.append("| Name | Value |\n|---|---|\n");
      m.header.params().forEach((k, v) -> row(code(k), code(ReportModel.value(v))));
      md.append('\n');
    }

    if (!m.failures.isEmpty()) {
      md.append("## Failure\n\n");
      for (Failure f : m.failures) {
        md.append("- ").append(code(f.stepId())).append(' ').append(f.what()).append(":\n\n");
        fence(f.error() == null ? "(no error recorded)" : f.error());
      }
    }

    md.append("## Steps\n\n");
    if (m.steps.isEmpty()) {
      md.append("No step started.\n\n");
    } else {
      md.append("| # | Step | Target | State | Attempts | Started | Duration | Undo |\n");
      md.append("|---:|---|---|---|---:|---|---:|---|\n");
      int n = 1;
      for (StepRow s : m.steps) {
        md.append("| ")
            .append(n++)
            .append(" | ")
            .append(code(s.id()))
            .append(" | ")
            .append(cell(s.target()))
            .append(" | ")
            .append(s.state())
            .append(" | ")
            .append(s.step().attempts())
            .append(" | ")
            .append(ReportModel.time(s.step().startedAt()))
            .append(" | ")
            .append(s.duration())
            .append(" | ")
            .append(s.undo())
            .append(" |\n");
      }
      md.append('\n');
    }

    if (m.undoExpected()) {
      md.append("## Rollback\n\n");
      if (m.compensated.isEmpty()) {
        md.append("Nothing was undone.\n\n");
      } else {
        md.append("Undone, in this order:\n\n");
        int n = 1;
        for (String id : m.compensated) {
          md.append(n++).append(". ").append(code(id)).append('\n');
        }
        md.append('\n');
      }
      if (m.notUndone.isEmpty()) {
        md.append("Not undone: nothing; every finished step with an effect was undone.\n\n");
      } else {
        md.append("**Not undone** (their effect is still in place):\n\n");
        for (Remaining r : m.notUndone) {
          md.append("- ")
              .append(code(r.stepId()))
              .append(" — ")
              .append(cell(r.reason()))
              .append('\n');
        }
        md.append('\n');
      }
      if (!m.nothingToUndo.isEmpty()) {
        md.append("Nothing to undo (checks): ")
            .append(String.join(", ", m.nothingToUndo.stream().map(MarkdownReport::code).toList()))
            .append("\n\n");
      }
    }

    boolean anyOutputs = m.steps.stream().anyMatch(s -> !s.step().outputs().isEmpty());
    if (anyOutputs) {
      md.append("## Outputs\n\n");
      for (StepRow s : m.steps) {
        Map<String, Object> outputs = s.step().outputs();
        if (outputs.isEmpty()) {
          continue;
        }
        md.append("### ").append(code(s.id())).append("\n\n");
        outputs.forEach(
            (k, v) ->
                md.append("- ")
                    .append(code(k))
                    .append(": ")
                    .append(code(ReportModel.value(v)))
                    .append('\n'));
        md.append('\n');
      }
    }

    md.append("## Journal\n\n| Seq | Time | Record | Step |\n|---:|---|---|---|\n");
    for (JournalRecord r : m.view.records()) {
      row(
          String.valueOf(r.seq()),
          r.at().toString(),
          r.type().name(),
          r.stepId() == null ? "" : code(r.stepId()));
    }
    return md.toString();
  }

  private void row(String... cells) {
    md.append("| ").append(String.join(" | ", cells)).append(" |\n");
  }

  private void fence(String body) {
    String fence = "```";
    while (body.contains(fence)) {
      fence += "`";
    }
    md.append(fence)
        .append("text\n")
        .append(body.strip())
        .append('\n')
        .append(fence)
        .append("\n\n");
  }

  private static String file(String path) {
    return path == null ? "" : "(" + code(path) + ")";
  }

  /** Text for a table cell or a line: no table breaks, no raw HTML, one line. */
  static String cell(String s) {
    if (s == null) {
      return "";
    }
    return text(s).replace("|", "\\|").replace("\r", "").replace("\n", "<br>");
  }

  /** Text outside code: characters Markdown would read as HTML are escaped. */
  static String text(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  /** A code span that survives backticks, pipes and newlines in the value. */
  static String code(String s) {
    if (s == null || s.isEmpty()) {
      return "";
    }
    String flat = s.replace("\r", "").replace("\n", " ⏎ ").replace("|", "\\|");
    String ticks = "`";
    while (flat.contains(ticks)) {
      ticks += "`";
    }
    String pad = flat.startsWith("`") || flat.endsWith("`") ? " " : "";
    return ticks + pad + flat + pad + ticks;
  }
}
