package io.lockstep.engine.report;

import io.lockstep.engine.RunView;
import io.lockstep.engine.model.Compensation;
import io.lockstep.engine.model.Group;
import io.lockstep.engine.model.Node;
import io.lockstep.engine.model.Parallel;
import io.lockstep.engine.model.Playbook;
import io.lockstep.engine.model.Rolling;
import io.lockstep.engine.model.Step;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The report of one run, rendered as Markdown or as a self-contained HTML page. Values come from
 * the journal, where secrets are already masked; everything is escaped for its format.
 *
 * <p>Without the playbook the report cannot tell a check (nothing to undo) from a step whose effect
 * remains; give it with {@link #withPlaybook} when you have it.
 */
public final class RunReport {

  private final RunView view;
  private final Map<String, Compensation> compensations;

  private RunReport(RunView view, Map<String, Compensation> compensations) {
    this.view = Objects.requireNonNull(view, "view");
    this.compensations = Map.copyOf(compensations);
  }

  public static RunReport of(RunView view) {
    return new RunReport(view, Map.of());
  }

  /** The same report, knowing each step's compensation from the playbook the run used. */
  public RunReport withPlaybook(Playbook playbook) {
    Map<String, Compensation> byStep = new LinkedHashMap<>();
    collect(playbook.root(), byStep);
    return new RunReport(view, byStep);
  }

  public String toMarkdown() {
    return new MarkdownReport(model()).render();
  }

  public String toHtml() {
    return new HtmlReport(model()).render();
  }

  /** Writes {@code report.md} and {@code report.html} into {@code dir} (created if needed). */
  public Written writeTo(Path dir) throws IOException {
    Files.createDirectories(dir);
    Path markdown = dir.resolve("report.md");
    Path html = dir.resolve("report.html");
    Files.writeString(markdown, toMarkdown(), StandardCharsets.UTF_8);
    Files.writeString(html, toHtml(), StandardCharsets.UTF_8);
    return new Written(markdown, html);
  }

  private ReportModel model() {
    return new ReportModel(view, compensations);
  }

  private static void collect(Node node, Map<String, Compensation> out) {
    if (node instanceof Step step) {
      out.put(step.id(), step.compensation());
    } else if (node instanceof Group group) {
      group.children().forEach(child -> collect(child, out));
    } else if (node instanceof Parallel parallel) {
      parallel.branches().forEach(branch -> collect(branch, out));
    } else if (node instanceof Rolling rolling) {
      rolling.batches().forEach(b -> b.members().forEach(m -> collect(m.body(), out)));
    }
  }

  /** The files {@link #writeTo} wrote. */
  public record Written(Path markdown, Path html) {}
}
