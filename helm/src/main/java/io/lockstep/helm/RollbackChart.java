package io.lockstep.helm;

import io.lockstep.steps.StepFailedException;

/**
 * The chart an undo upgrades back to. helm-java has no {@code rollback}, so the undo is an upgrade,
 * and it needs the chart the release runs now: the new chart itself when only values change, the
 * same repository chart at the old version, or the {@code rollbackChart:} the playbook names. A
 * local chart of another version leaves nothing to go back to, and the step refuses before it
 * changes anything.
 */
final class RollbackChart {

  private RollbackChart() {}

  /**
   * @param release the release as messages name it
   * @param running the chart the release runs now, as Helm names it ({@code name-version})
   * @param next the chart to upgrade to, and its identity
   * @param given the {@code rollbackChart:} argument and its identity, or {@code null}
   */
  static ChartSource choose(
      String release,
      String running,
      ChartSource next,
      ChartInfo nextInfo,
      ChartSource given,
      ChartInfo givenInfo) {
    if (given != null) {
      if (!givenInfo.nameVersion().equals(running)) {
        throw new StepFailedException(
            "rollbackChart "
                + given.describe()
                + " is chart "
                + givenInfo.nameVersion()
                + ", but release "
                + release
                + " runs "
                + running
                + ": give rollbackChart the chart the release runs now; nothing was changed");
      }
      return given;
    }
    if (nextInfo.nameVersion().equals(running)) {
      return next;
    }
    String prefix = nextInfo.name() + "-";
    if (!next.local() && running.startsWith(prefix)) {
      return next.atVersion(running.substring(prefix.length()));
    }
    throw new StepFailedException(
        "release "
            + release
            + " runs chart "
            + running
            + ", and the new chart "
            + next.describe()
            + " is "
            + nextInfo.nameVersion()
            + (next.local() ? " from a local path" : "")
            + ": an undo would have no chart "
            + running
            + " to go back to. Give rollbackChart: the path (or repo/name) of chart "
            + running
            + "; nothing was changed");
  }
}
