package io.lockstep.engine;

import io.lockstep.engine.model.ApprovalGate;
import io.lockstep.engine.model.Compensation;
import io.lockstep.engine.model.Group;
import io.lockstep.engine.model.Node;
import io.lockstep.engine.model.Parallel;
import io.lockstep.engine.model.Playbook;
import io.lockstep.engine.model.Rolling;
import io.lockstep.engine.model.Step;
import java.util.ArrayList;
import java.util.List;

/**
 * What a playbook will do and how it would be undone, computed before anything runs. {@code
 * entries} follow the tree in execution order; {@code rollbackOrder} lists the compensations that
 * would run, last step first, if every step finished and the run were then rolled back.
 */
public record Plan(Playbook playbook, List<Entry> entries, List<Entry> rollbackOrder) {

  public Plan {
    entries = List.copyOf(entries);
    rollbackOrder = List.copyOf(rollbackOrder);
  }

  /** Computes the plan of a resolved playbook. */
  public static Plan of(Playbook playbook) {
    List<Entry> entries = new ArrayList<>();
    collect(playbook.root(), 0, entries);
    List<Entry> rollback = new ArrayList<>();
    for (int i = entries.size() - 1; i >= 0; i--) {
      Entry e = entries.get(i);
      if (e.kind() == Kind.STEP && e.step().compensation().kind() != Compensation.Kind.NONE) {
        rollback.add(e);
      }
    }
    return new Plan(playbook, entries, rollback);
  }

  /** The step entries, in execution order (one per step and target). */
  public List<Entry> steps() {
    return entries.stream().filter(e -> e.kind() == Kind.STEP).toList();
  }

  /** Warnings about data a rollback would lose, one per compensation that carries one. */
  public List<String> dataLossWarnings() {
    List<String> warnings = new ArrayList<>();
    for (Entry e : rollbackOrder) {
      String warning = e.step().compensation().dataLossWarning();
      if (warning != null) {
        warnings.add(e.id() + ": " + warning);
      }
    }
    return warnings;
  }

  /** Steps whose effect a rollback cannot undo. */
  public List<Entry> irreversible() {
    return rollbackOrder.stream()
        .filter(e -> e.step().compensation().kind() == Compensation.Kind.IRREVERSIBLE)
        .toList();
  }

  /** Steps with an effect but no declared undo: a rollback leaves their effect in place. */
  public List<Entry> undeclared() {
    return rollbackOrder.stream()
        .filter(e -> e.step().compensation().kind() == Compensation.Kind.UNDECLARED)
        .toList();
  }

  private static void collect(Node node, int depth, List<Entry> out) {
    if (node instanceof Step step) {
      out.add(new Entry(Kind.STEP, step.id(), depth, step.label(), step, null));
    } else if (node instanceof Group group) {
      boolean root = depth == 0 && group.id().isEmpty();
      if (!root) {
        Kind kind = group.kind() == Group.Kind.PHASE ? Kind.PHASE : Kind.SEQUENCE;
        out.add(new Entry(kind, group.id(), depth, group.label(), null, null));
      }
      int childDepth = root ? depth : depth + 1;
      group.children().forEach(child -> collect(child, childDepth, out));
    } else if (node instanceof Parallel parallel) {
      String note =
          parallel.maxConcurrency() == 0
              ? "all branches at once"
              : "at most " + parallel.maxConcurrency() + " at once";
      out.add(new Entry(Kind.PARALLEL, parallel.id(), depth, parallel.label(), null, note));
      parallel.branches().forEach(branch -> collect(branch, depth + 1, out));
    } else if (node instanceof Rolling rolling) {
      String note =
          rolling.targetCount()
              + " targets in "
              + rolling.batches().size()
              + " batches ("
              + rolling.batchSpec()
              + "), stop when more than "
              + Math.round(rolling.maxFailureShare() * 100)
              + "% fail";
      out.add(new Entry(Kind.ROLLING, rolling.id(), depth, rolling.label(), null, note));
      for (Rolling.Batch batch : rolling.batches()) {
        String members =
            String.join(", ", batch.members().stream().map(m -> m.target().name()).toList());
        out.add(
            new Entry(
                Kind.BATCH,
                rolling.id() + "#" + batch.number(),
                depth + 1,
                "batch " + batch.number(),
                null,
                members));
        batch.members().forEach(m -> collect(m.body(), depth + 2, out));
      }
    } else if (node instanceof ApprovalGate gate) {
      out.add(new Entry(Kind.APPROVAL, gate.id(), depth, gate.label(), null, gate.prompt()));
    }
  }

  /** Kinds of plan entries. */
  public enum Kind {
    PHASE,
    SEQUENCE,
    PARALLEL,
    ROLLING,
    BATCH,
    APPROVAL,
    STEP
  }

  /**
   * One line of a plan.
   *
   * @param step the step for {@link Kind#STEP}, otherwise {@code null}
   * @param note a short explanation for structural entries (batch members, gate prompt)
   */
  public record Entry(Kind kind, String id, int depth, String label, Step step, String note) {}
}
