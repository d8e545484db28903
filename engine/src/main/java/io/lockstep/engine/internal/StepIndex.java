package io.lockstep.engine.internal;

import io.lockstep.engine.model.ApprovalGate;
import io.lockstep.engine.model.Group;
import io.lockstep.engine.model.Node;
import io.lockstep.engine.model.Parallel;
import io.lockstep.engine.model.Rolling;
import io.lockstep.engine.model.Step;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Every step of a tree by id; rejects duplicate ids, which would corrupt the journal's meaning. */
final class StepIndex {

  private StepIndex() {}

  static Map<String, Step> of(Node root) {
    Map<String, Step> steps = new LinkedHashMap<>();
    collect(root, steps, new HashSet<>());
    return steps;
  }

  private static void collect(Node node, Map<String, Step> steps, Set<String> ids) {
    if (!(node instanceof Group g && g.id().isEmpty()) && !ids.add(node.id())) {
      throw new IllegalArgumentException(
          "two nodes have the id '" + node.id() + "'; ids must be unique in a playbook");
    }
    if (node instanceof Step step) {
      steps.put(step.id(), step);
    } else if (node instanceof Group group) {
      group.children().forEach(child -> collect(child, steps, ids));
    } else if (node instanceof Parallel parallel) {
      parallel.branches().forEach(branch -> collect(branch, steps, ids));
    } else if (node instanceof Rolling rolling) {
      rolling.batches().forEach(b -> b.members().forEach(m -> collect(m.body(), steps, ids)));
    } else if (!(node instanceof ApprovalGate)) {
      throw new IllegalArgumentException("unknown node " + node);
    }
  }
}
