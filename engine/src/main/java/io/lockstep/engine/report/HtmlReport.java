package io.lockstep.engine.report;

import io.lockstep.engine.RunStatus;
import io.lockstep.engine.report.ReportModel.Failure;
import io.lockstep.engine.report.ReportModel.Remaining;
import io.lockstep.engine.report.ReportModel.StepRow;
import io.lockstep.engine.spi.JournalRecord;
import java.util.Map;

/** Renders a {@link ReportModel} as one HTML page with its styles inline and no scripts. */
final class HtmlReport {

  private static final String STYLE =
      """
      body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:72em;color:#1b1f24;padding:0 1em}
      h1{font-size:1.5em}h2{font-size:1.15em;margin-top:1.8em;border-bottom:1px solid #d0d7de}
      table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #d0d7de;padding:.25em .6em;text-align:left;vertical-align:top}
      th{background:#f6f8fa}code,pre{font-family:ui-monospace,monospace;font-size:.92em}
      pre{background:#f6f8fa;padding:.7em;overflow-x:auto;white-space:pre-wrap}
      .status{display:inline-block;padding:.1em .6em;border-radius:1em;color:#fff;font-weight:600}
      .ok{background:#1a7f37}.bad{background:#cf222e}.warn{background:#9a6700}.info{background:#0969da}
      .failed td{background:#ffebe9}.muted{color:#57606a}
      """;

  private final ReportModel m;
  private final StringBuilder h = new StringBuilder();

  HtmlReport(ReportModel model) {
    this.m = model;
  }

  String render() {
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>")
        .append(esc(m.title()))
        .append("</title>\n<style>")
        .append(STYLE)
        .append("</style></head><body>\n");
    h.append("<h1>").append(esc(m.title())).append("</h1>\n");
    h.append("<p><span class=\"status ")
        .append(statusClass(m.view.status()))
        .append("\">")
        .append(esc(m.status()))
        .append("</span> ")
        .append(esc(m.view.message() == null ? "" : m.view.message()))
        .append("</p>\n<table>\n");
    tr("th", "Run", code(m.header.runId()));
    tr("th", "Playbook", code(m.header.playbook()) + " " + muted(m.header.playbookFile()));
    tr("th", "Environment", code(m.header.environment()) + " " + muted(m.header.environmentFile()));
    tr(
        "th",
        "Started",
        esc(ReportModel.time(m.header.startedAt()) + " by " + m.header.startedBy()));
    tr("th", "Duration", esc(m.duration()));
    h.append("</table>\n");

    h.append("<h2>Parameters</h2>\n");
    if (m.header.params().isEmpty()) {
      h.append("<p>None.</p>\n");
    } else {
      h.append("<table><tr><th>Name</th><th>Value</th></tr>\n");
      m.header.params().forEach((k, v) -> tr("td", code(k), code(ReportModel.value(v))));
      h.append("</table>\n");
    }

    if (!m.failures.isEmpty()) {
      h.append("<h2>Failure</h2>\n");
      for (Failure f : m.failures) {
        h.append("<p>")
            .append(code(f.stepId()))
            .append(' ')
            .append(esc(f.what()))
            .append(":</p><pre>")
            .append(esc(f.error() == null ? "(no error recorded)" : f.error().strip()))
            .append("</pre>\n");
      }
    }

    h.append("<h2>Steps</h2>\n");
    if (m.steps.isEmpty()) {
      h.append("<p>No step started.</p>\n");
    } else {
      h.append(
          "<table><tr><th>#</th><th>Step</th><th>Target</th><th>State</th><th>Attempts</th>"
              + "<th>Started</th><th>Duration</th><th>Undo</th></tr>\n");
      int n = 1;
      for (StepRow s : m.steps) {
        h.append(s.state().equals("failed") ? "<tr class=\"failed\">" : "<tr>");
        td(String.valueOf(n++));
        h.append("<td>").append(code(s.id())).append("</td>");
        td(s.target());
        td(s.state());
        td(String.valueOf(s.step().attempts()));
        td(ReportModel.time(s.step().startedAt()));
        td(s.duration());
        td(s.undo());
        h.append("</tr>\n");
      }
      h.append("</table>\n");
    }

    if (m.undoExpected()) {
      h.append("<h2>Rollback</h2>\n");
      if (m.compensated.isEmpty()) {
        h.append("<p>Nothing was undone.</p>\n");
      } else {
        h.append("<p>Undone, in this order:</p><ol>\n");
        m.compensated.forEach(id -> h.append("<li>").append(code(id)).append("</li>\n"));
        h.append("</ol>\n");
      }
      if (m.notUndone.isEmpty()) {
        h.append("<p>Not undone: nothing; every finished step with an effect was undone.</p>\n");
      } else {
        h.append("<p><strong>Not undone</strong> (their effect is still in place):</p><ul>\n");
        for (Remaining r : m.notUndone) {
          h.append("<li>")
              .append(code(r.stepId()))
              .append(" — ")
              .append(esc(r.reason()))
              .append("</li>\n");
        }
        h.append("</ul>\n");
      }
      if (!m.nothingToUndo.isEmpty()) {
        h.append("<p class=\"muted\">Nothing to undo (checks): ")
            .append(String.join(", ", m.nothingToUndo.stream().map(HtmlReport::code).toList()))
            .append("</p>\n");
      }
    }

    boolean anyOutputs = m.steps.stream().anyMatch(s -> !s.step().outputs().isEmpty());
    if (anyOutputs) {
      h.append("<h2>Outputs</h2>\n<table><tr><th>Step</th><th>Name</th><th>Value</th></tr>\n");
      for (StepRow s : m.steps) {
        for (Map.Entry<String, Object> e : s.step().outputs().entrySet()) {
          tr("td", code(s.id()), code(e.getKey()), code(ReportModel.value(e.getValue())));
        }
      }
      h.append("</table>\n");
    }

    h.append("<h2>Journal</h2>\n<details><summary>")
        .append(m.view.records().size())
        .append(
            " records</summary>\n<table><tr><th>Seq</th><th>Time</th><th>Record</th><th>Step</th></tr>\n");
    for (JournalRecord r : m.view.records()) {
      tr(
          "td",
          String.valueOf(r.seq()),
          esc(r.at().toString()),
          esc(r.type().name()),
          r.stepId() == null ? "" : code(r.stepId()));
    }
    h.append("</table></details>\n</body></html>\n");
    return h.toString();
  }

  private void tr(String firstCell, String... cells) {
    h.append("<tr>");
    for (int i = 0; i < cells.length; i++) {
      String tag = i == 0 ? firstCell : "td";
      h.append('<').append(tag).append('>').append(cells[i]).append("</").append(tag).append('>');
    }
    h.append("</tr>\n");
  }

  private void td(String text) {
    h.append("<td>").append(esc(text)).append("</td>");
  }

  private static String statusClass(RunStatus status) {
    return switch (status) {
      case SUCCEEDED -> "ok";
      case ROLLED_BACK, AWAITING_APPROVAL, NEEDS_DECISION -> "warn";
      case FAILED, COMPENSATION_FAILED -> "bad";
      case RUNNING, ROLLING_BACK -> "info";
    };
  }

  private static String code(String s) {
    return s == null || s.isEmpty() ? "" : "<code>" + esc(s) + "</code>";
  }

  private static String muted(String s) {
    return s == null ? "" : "<span class=\"muted\">" + esc(s) + "</span>";
  }

  /** Escapes text for HTML element content and attribute values. */
  static String esc(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
