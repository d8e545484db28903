package io.lockstep.helm;

import java.util.List;

/**
 * What {@link HelmWorker} answers on standard output (JSON, on the line that starts with {@link
 * #MARKER}: Helm's Go code may print to the same stream).
 *
 * @param error Helm's error message, or {@code null} when the call succeeded
 * @param history the release's revisions, oldest first; empty when there is no such release
 * @param values the user-supplied values of the last revision (YAML), or of the upgrade's result
 * @param previousValues the user-supplied values of the revision before the last (YAML), if asked
 * @param charts the Chart.yaml of each chart asked for, in the order asked
 * @param release the revision an upgrade made
 */
public record HelmResult(
    String error,
    List<Revision> history,
    String values,
    String previousValues,
    List<String> charts,
    Revision release) {

  static final String MARKER = "LOCKSTEP-HELM-RESULT ";

  /** One revision of a release, as {@code helm history} shows it. */
  public record Revision(
      int revision, String status, String chart, String appVersion, String description) {}

  static HelmResult failed(String error) {
    return new HelmResult(error, List.of(), null, null, List.of(), null);
  }

  /** The newest revision, or {@code null} when the release does not exist. */
  Revision last() {
    return history == null || history.isEmpty() ? null : history.get(history.size() - 1);
  }

  /** The revision before the newest, or {@code null}. */
  Revision beforeLast() {
    return history == null || history.size() < 2 ? null : history.get(history.size() - 2);
  }
}
