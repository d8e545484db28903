package io.lockstep.engine.internal;

import java.util.List;

/** How walking a node ended. */
record Outcome(Kind kind, String stepId, String error, List<String> waitingFor) {

  enum Kind {
    OK,
    FAILED,
    /** Stopped before starting because another branch failed. */
    STOPPED,
    AWAITING_APPROVAL,
    NEEDS_DECISION
  }

  static final Outcome OK = new Outcome(Kind.OK, null, null, List.of());
  static final Outcome STOPPED = new Outcome(Kind.STOPPED, null, null, List.of());

  static Outcome failed(String stepId, String error) {
    return new Outcome(Kind.FAILED, stepId, error, List.of());
  }

  static Outcome awaiting(String gateId) {
    return new Outcome(Kind.AWAITING_APPROVAL, null, null, List.of(gateId));
  }

  static Outcome needsDecision(String stepId, String why) {
    return new Outcome(Kind.NEEDS_DECISION, stepId, why, List.of(stepId));
  }

  boolean ok() {
    return kind == Kind.OK;
  }

  /**
   * Combines the outcomes of branches: a failure wins, then a needed decision, then a pause; the
   * waiting lists are joined.
   */
  static Outcome combine(List<Outcome> outcomes) {
    for (Kind kind : List.of(Kind.FAILED, Kind.NEEDS_DECISION, Kind.AWAITING_APPROVAL)) {
      List<Outcome> matching = outcomes.stream().filter(o -> o.kind == kind).toList();
      if (!matching.isEmpty()) {
        Outcome first = matching.get(0);
        List<String> waiting = matching.stream().flatMap(o -> o.waitingFor.stream()).toList();
        return new Outcome(kind, first.stepId, first.error, waiting);
      }
    }
    return outcomes.stream().anyMatch(o -> o.kind == Kind.STOPPED) ? STOPPED : OK;
  }
}
