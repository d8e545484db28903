package io.lockstep.engine.internal;

import java.util.Set;

/** What the operator decided for in-doubt steps on this resume. */
record Decisions(Set<String> markDone, Set<String> retry, String by) {

  static final Decisions NONE = new Decisions(Set.of(), Set.of(), null);
}
