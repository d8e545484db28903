package io.lockstep.engine.model;

import java.util.List;
import java.util.Objects;

/**
 * Children run one after another. A phase (preflight, backup, upgrade, verify) is a group whose
 * kind is {@link Kind#PHASE}; it differs only in how plans and reports show it.
 */
public record Group(String id, String label, Kind kind, List<Node> children) implements Node {

  /** How a group is shown. */
  public enum Kind {
    SEQUENCE,
    PHASE
  }

  public Group {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(kind, "kind");
    children = List.copyOf(children);
  }
}
