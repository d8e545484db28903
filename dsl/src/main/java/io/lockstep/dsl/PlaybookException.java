package io.lockstep.dsl;

import io.lockstep.engine.LockstepException;
import java.util.List;
import java.util.stream.Collectors;

/** A playbook or environment is invalid; carries every problem found, not only the first. */
public final class PlaybookException extends LockstepException {

  private final List<Problem> problems;

  public PlaybookException(List<Problem> problems) {
    super(
        problems.stream().map(Problem::toString).collect(Collectors.joining("\n")),
        "fix the problems above; nothing was run");
    this.problems = List.copyOf(problems);
  }

  public List<Problem> problems() {
    return problems;
  }
}
