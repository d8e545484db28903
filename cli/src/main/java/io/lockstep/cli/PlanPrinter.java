package io.lockstep.cli;

import io.lockstep.cli.Terminal.Symbol;
import io.lockstep.engine.Plan;
import io.lockstep.engine.Plan.Entry;
import io.lockstep.engine.Plan.Kind;
import io.lockstep.engine.model.Compensation;
import io.lockstep.engine.model.Playbook;
import io.lockstep.engine.model.Step;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code lockstep plan}: every resolved step in execution order with its undo, drawn as a tree;
 * then the rollback plan (last step first), what a rollback would lose, and what it cannot undo.
 */
final class PlanPrinter {

  private final Terminal t;
  private final Style style;
  private final PrintStream out;

  PlanPrinter(Terminal terminal, Style style) {
    this.t = terminal;
    this.style = style;
    this.out = terminal.out();
  }

  void print(Plan plan) {
    Playbook p = plan.playbook();
    List<Entry> entries = plan.entries();
    List<Entry> steps = plan.steps();
    out.println(style.bold("Plan  " + p.name() + " @ " + p.environment()));
    if (p.source().playbookFile() != null) {
      out.println("  playbook  " + p.source().playbookFile());
    }
    if (p.source().environmentFile() != null) {
      out.println("  env       " + p.source().environmentFile());
    }
    out.println("  params    " + pairs(p.params()));
    if (!p.vars().isEmpty()) {
      out.println("  vars      " + pairs(p.vars()));
    }
    out.println();
    out.println(
        style.bold("Steps, in execution order")
            + "  ("
            + steps.size()
            + (steps.size() == 1 ? " step, " : " steps, ")
            + plan.rollbackOrder().size()
            + " with an undo)");
    int width = Math.min(28, steps.stream().mapToInt(e -> e.label().length()).max().orElse(0));
    int number = 0;
    for (int i = 0; i < entries.size(); i++) {
      Entry e = entries.get(i);
      String prefix = prefix(entries, i);
      if (e.kind() == Kind.STEP) {
        number++;
        Step step = e.step();
        out.println(
            prefix
                + number
                + ". "
                + pad(e.label(), width)
                + "  "
                + step.description()
                + tags(step));
        String under = continuation(entries, i) + "   ";
        out.println(under + undo(step.compensation()));
        String warning = step.compensation().dataLossWarning();
        if (warning != null) {
          out.println(under + style.yellow(t.sym(Symbol.WARN) + " " + warning));
        }
      } else {
        out.println(prefix + structure(e));
      }
    }

    out.println();
    out.println(style.bold("Rollback plan"));
    if (plan.rollbackOrder().isEmpty()) {
      out.println("  nothing to undo: every step is a check");
    } else {
      out.println(
          "  If the run fails, the steps that finished are undone in reverse order, last first:");
      int idWidth =
          Math.min(
              36, plan.rollbackOrder().stream().mapToInt(e -> e.id().length()).max().orElse(0));
      int n = 0;
      for (Entry e : plan.rollbackOrder()) {
        Compensation c = e.step().compensation();
        String what =
            switch (c.kind()) {
              case IRREVERSIBLE ->
                  style.red("cannot be undone " + t.sym(Symbol.DASH) + " " + c.description());
              case UNDECLARED -> style.yellow(c.description());
              default -> c.description();
            };
        String warning =
            c.dataLossWarning() == null
                ? ""
                : "  " + style.yellow(t.sym(Symbol.WARN) + " data loss");
        out.println("  " + (++n) + ". " + pad(e.id(), idWidth) + "  " + what + warning);
      }
    }

    List<String> warnings = plan.dataLossWarnings();
    out.println();
    out.println(style.bold("Data a rollback would lose"));
    if (warnings.isEmpty()) {
      out.println("  none");
    }
    for (String warning : warnings) {
      out.println("  " + style.yellow(t.sym(Symbol.WARN) + " " + warning));
    }

    out.println();
    out.println(style.bold("Irreversible steps"));
    List<Entry> irreversible = plan.irreversible();
    if (irreversible.isEmpty()) {
      out.println(
          plan.undeclared().isEmpty() ? "  none: every step with an effect has an undo" : "  none");
    }
    for (Entry e : irreversible) {
      out.println(
          "  "
              + style.red(t.sym(Symbol.WARN) + " " + e.id())
              + "  "
              + e.step().compensation().description());
    }
    List<Entry> undeclared = plan.undeclared();
    if (!undeclared.isEmpty()) {
      out.println();
      out.println(style.bold("Steps without an undo"));
      out.println(
          "  A rollback leaves their effect in place; declare compensate { } or irreversible:");
      for (Entry e : undeclared) {
        out.println("  " + style.yellow(t.sym(Symbol.WARN) + " " + e.id()));
      }
    }
  }

  private String undo(Compensation c) {
    return switch (c.kind()) {
      case NONE -> style.dim("undo: none (check)");
      case ACTION -> "undo: " + c.description();
      case IRREVERSIBLE ->
          style.red("undo: IRREVERSIBLE " + t.sym(Symbol.DASH) + " " + c.description());
      case UNDECLARED ->
          style.yellow("undo: none declared " + t.sym(Symbol.DASH) + " its effect stays");
    };
  }

  private String structure(Entry e) {
    String note = e.note() == null ? "" : "  " + style.dim("(" + e.note() + ")");
    return switch (e.kind()) {
      case PHASE -> style.bold(e.label());
      case SEQUENCE -> e.label();
      case PARALLEL -> "parallel " + e.label() + note;
      case ROLLING -> "rolling " + e.label() + note;
      case BATCH -> e.label() + ": " + e.note();
      case APPROVAL ->
          style.yellow(t.sym(Symbol.PAUSE) + " approval " + e.id())
              + (e.note() == null ? "" : "  \"" + e.note() + "\"");
      case STEP -> e.label();
    };
  }

  private static String tags(Step step) {
    List<String> tags = new ArrayList<>();
    if (step.target() != null) {
      tags.add("on " + step.target().name());
    }
    if (step.retry().maxAttempts() > 1) {
      tags.add("up to " + step.retry().maxAttempts() + " attempts");
    }
    if (step.timeout() != null) {
      tags.add("timeout " + human(step.timeout()));
    }
    if (step.idempotent()) {
      tags.add("idempotent");
    }
    return tags.isEmpty() ? "" : "  [" + String.join(", ", tags) + "]";
  }

  private static String human(Duration d) {
    return Durations.format(d.toMillis()).replace(".0s", "s");
  }

  /** Tree connectors for entry {@code i}: bars for open ancestors, then its own branch. */
  private String prefix(List<Entry> entries, int i) {
    int depth = entries.get(i).depth();
    if (depth == 0) {
      return "";
    }
    return bars(entries, i, depth - 1)
        + t.sym(isLast(entries, i) ? Symbol.TREE_LAST : Symbol.TREE_MID);
  }

  /** The prefix of the line under entry {@code i} (its undo line). */
  private String continuation(List<Entry> entries, int i) {
    int depth = entries.get(i).depth();
    if (depth == 0) {
      return "";
    }
    return bars(entries, i, depth - 1) + (isLast(entries, i) ? "   " : t.sym(Symbol.TREE_BAR));
  }

  private String bars(List<Entry> entries, int i, int levels) {
    StringBuilder s = new StringBuilder();
    for (int level = 1; level <= levels; level++) {
      int ancestor = ancestorAt(entries, i, level);
      s.append(ancestor >= 0 && !isLast(entries, ancestor) ? t.sym(Symbol.TREE_BAR) : "   ");
    }
    return s.toString();
  }

  private static int ancestorAt(List<Entry> entries, int i, int depth) {
    for (int j = i - 1; j >= 0; j--) {
      if (entries.get(j).depth() == depth) {
        return j;
      }
    }
    return -1;
  }

  private static boolean isLast(List<Entry> entries, int i) {
    int depth = entries.get(i).depth();
    for (int j = i + 1; j < entries.size(); j++) {
      int d = entries.get(j).depth();
      if (d == depth) {
        return false;
      }
      if (d < depth) {
        return true;
      }
    }
    return true;
  }

  private static String pad(String s, int width) {
    return s.length() >= width ? s : s + " ".repeat(width - s.length());
  }

  /** {@code k=v} pairs sorted by key, two spaces apart; {@code (none)} for none. */
  static String pairs(Map<String, Object> values) {
    if (values.isEmpty()) {
      return "(none)";
    }
    List<String> parts = new ArrayList<>();
    new TreeMap<>(values).forEach((k, v) -> parts.add(k + "=" + v));
    return String.join("  ", parts);
  }
}
