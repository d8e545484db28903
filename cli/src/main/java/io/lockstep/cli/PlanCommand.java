package io.lockstep.cli;

import io.lockstep.dsl.PlaybookLoader;
import io.lockstep.engine.Plan;
import io.lockstep.engine.model.Compensation;
import io.lockstep.engine.model.Playbook;
import io.lockstep.engine.model.Step;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code lockstep plan}: what a run would do, and how a rollback would undo it. */
@Command(
    name = "plan",
    description = {
      "Show every resolved step in execution order with its undo, the rollback plan,",
      "the data a rollback would lose and the steps it cannot undo. Runs nothing."
    })
final class PlanCommand implements Callable<Integer> {

  @ParentCommand Main main;

  @Mixin PlaybookArgs args;

  @Option(names = "--json", description = "Print the plan as one JSON object.")
  boolean json;

  @Override
  public Integer call() {
    args.requirePlaybook();
    Playbook playbook =
        PlaybookLoader.create().load(args.playbook, args.environmentFile(), args.params);
    Plan plan = Plan.of(playbook);
    Terminal t = main.terminal();
    if (json) {
      t.out().println(Json.line(toJson(plan)));
    } else {
      new PlanPrinter(t, new Style(t, false)).print(plan);
    }
    return ExitCode.OK;
  }

  static Map<String, Object> toJson(Plan plan) {
    Playbook p = plan.playbook();
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("playbook", p.name());
    json.put("environment", p.environment());
    json.put("playbookFile", p.source().playbookFile());
    json.put("environmentFile", p.source().environmentFile());
    json.put("params", plain(p.params()));
    json.put("vars", plain(p.vars()));
    List<Map<String, Object>> entries = new ArrayList<>();
    for (Plan.Entry e : plan.entries()) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("kind", e.kind());
      entry.put("id", e.id());
      entry.put("depth", e.depth());
      entry.put("label", e.label());
      if (e.note() != null) {
        entry.put("note", e.note());
      }
      if (e.step() != null) {
        Step s = e.step();
        entry.put("type", s.type());
        entry.put("description", s.description());
        entry.put("target", s.target() == null ? null : s.target().name());
        entry.put("arguments", plain(s.arguments()));
        entry.put("idempotent", s.idempotent());
        entry.put("maxAttempts", s.retry().maxAttempts());
        entry.put("timeoutMs", s.timeout() == null ? null : s.timeout().toMillis());
        entry.put("compensation", compensation(s.compensation()));
      }
      entries.add(entry);
    }
    json.put("entries", entries);
    json.put("rollbackOrder", plan.rollbackOrder().stream().map(Plan.Entry::id).toList());
    json.put("dataLossWarnings", plan.dataLossWarnings());
    json.put("irreversible", plan.irreversible().stream().map(Plan.Entry::id).toList());
    return json;
  }

  private static Map<String, Object> compensation(Compensation c) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("kind", c.kind());
    json.put("description", c.description());
    json.put("dataLossWarning", c.dataLossWarning());
    return json;
  }

  /** JSON values only: secret references and templates become their display text (names). */
  private static Object plain(Object value) {
    if (value == null
        || value instanceof String
        || value instanceof Number
        || value instanceof Boolean) {
      return value;
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(String.valueOf(k), plain(v)));
      return out;
    }
    if (value instanceof List<?> list) {
      return list.stream().map(PlanCommand::plain).toList();
    }
    return value.toString();
  }
}
