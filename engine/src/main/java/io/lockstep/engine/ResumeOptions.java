package io.lockstep.engine;

import java.util.Set;

/**
 * Operator decisions for a resume.
 *
 * @param markDone in-doubt steps the operator checked and declares done (their outputs are empty)
 * @param retry in-doubt steps the operator declares safe to run again
 * @param decidedBy who decided
 * @param allowChangedPlaybook resume even though the playbook's fingerprint changed since the run
 *     began
 * @param rollbackOnFailure as in {@link RunOptions}
 */
public record ResumeOptions(
    Set<String> markDone,
    Set<String> retry,
    String decidedBy,
    boolean allowChangedPlaybook,
    boolean rollbackOnFailure) {

  public static final ResumeOptions DEFAULTS =
      new ResumeOptions(Set.of(), Set.of(), null, false, true);

  public ResumeOptions {
    markDone = Set.copyOf(markDone);
    retry = Set.copyOf(retry);
  }
}
