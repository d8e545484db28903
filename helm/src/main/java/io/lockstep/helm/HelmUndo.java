package io.lockstep.helm;

import io.lockstep.engine.model.StepContext;
import io.lockstep.steps.StepArgs;
import io.lockstep.steps.StepFailedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The compensation of {@code helmUpgrade}. helm-java has no {@code rollback}
 * (manusa/helm-java#351), so the undo is an upgrade to the recorded previous chart with exactly the
 * previous user-supplied values (reset, not reused): a new revision whose chart and values equal
 * the old one's. It refuses when the release has moved on since the step (someone else's revision
 * on top), and uninstalls a release the step installed.
 */
final class HelmUndo {

  private final Map<String, Object> args;

  HelmUndo(Map<String, Object> args) {
    this.args = args;
  }

  static String marker(StepContext ctx) {
    return "lockstep run " + ctx.runId() + " undo of step " + ctx.stepId();
  }

  Map<String, Object> apply(StepContext ctx) throws Exception {
    Map<String, Object> done = ctx.ownOutputs();
    String release = String.valueOf(done.get("release"));
    String namespace = String.valueOf(done.get("namespace"));
    // The cluster as the step resolves it now, in the namespace the upgrade recorded; the chart
    // arguments are not read: the undo must work when the new chart is gone.
    HelmCluster resolved = UpgradeSettings.cluster(ctx, args, release);
    HelmCluster cluster = new HelmCluster(resolved.kubeconfig(), namespace, resolved.describe());
    Duration timeout = UpgradeSettings.timeout(args);
    int revision = ((Number) done.get("revision")).intValue();
    int previousRevision = ((Number) done.get("previousRevision")).intValue();
    HelmCall helm = HelmCall.forStep(ctx);
    String history = "`helm history " + release + " -n " + namespace + "`";
    HelmResult state =
        helm.run(
            ctx,
            HelmRequest.inspect(cluster, release, List.of(), false),
            timeout,
            "reading release " + release + " in namespace " + namespace,
            "Nothing was changed.");
    HelmResult.Revision last = state.last();
    Map<String, Object> outputs = new LinkedHashMap<>();
    outputs.put("release", release);
    if (last == null) {
      if (previousRevision == 0) {
        ctx.log("nothing to undo: release " + release + " is not installed any more");
        return outputs;
      }
      throw new StepFailedException(
          "cannot roll back release "
              + release
              + ": it no longer exists in namespace "
              + namespace
              + "; reinstall chart "
              + done.get("previousChart")
              + " by hand with the values recorded in the step's previous-values.yaml");
    }
    if (marker(ctx).equals(last.description())) {
      ctx.log("release " + release + " was already rolled back, at revision " + last.revision());
      outputs.put("revision", last.revision());
      return outputs;
    }
    if (last.revision() != revision) {
      throw new StepFailedException(
          "refusing to roll back release "
              + release
              + ": its current revision is "
              + last.revision()
              + " ("
              + last.chart()
              + ", "
              + last.description()
              + "), not revision "
              + revision
              + " that step '"
              + ctx.stepId()
              + "' made, so someone has upgraded it since. Check "
              + history
              + " and roll back by hand if the later change should go too");
    }
    if (previousRevision == 0) {
      helm.run(
          ctx,
          HelmRequest.uninstall(cluster, release, (int) timeout.toSeconds()),
          timeout,
          "helm uninstall of release " + release,
          "Check " + history + " and `kubectl get all -n " + namespace + "`.");
      ctx.log("uninstalled release " + release + ", which step '" + ctx.stepId() + "' installed");
      outputs.put("uninstalled", true);
      return outputs;
    }
    HelmResult result =
        upgradeBack(
            ctx,
            helm,
            cluster,
            release,
            HelmYaml.fromJson(String.valueOf(done.get("previousValues"))),
            String.valueOf(done.get("rollbackChart")),
            String.valueOf(done.getOrDefault("rollbackChartVersion", "")),
            timeout,
            marker(ctx),
            "helm upgrade of release " + release + " back to " + done.get("previousChart"));
    ctx.log(
        "upgraded release "
            + release
            + " back to "
            + result.release().chart()
            + " with the values of revision "
            + previousRevision
            + ": now revision "
            + result.release().revision());
    outputs.put("revision", result.release().revision());
    outputs.put("chart", result.release().chart());
    return outputs;
  }

  /**
   * Upgrades the release to {@code chart} (at {@code version}, when not empty) with exactly {@code
   * values}: reset, not merged with the current ones. The undo, and a failed upgrade putting itself
   * back, both end here.
   */
  static HelmResult upgradeBack(
      StepContext ctx,
      HelmCall helm,
      HelmCluster cluster,
      String release,
      Map<String, Object> values,
      String chart,
      String version,
      Duration timeout,
      String description,
      String what)
      throws Exception {
    HelmRequest upgrade =
        new HelmRequest(
            "upgrade",
            release,
            cluster.namespace(),
            cluster.kubeconfig(),
            null,
            List.of(),
            false,
            chart,
            version.isEmpty() ? null : version,
            false,
            List.of(valuesFile(ctx, values).toString()),
            Map.of(),
            true,
            description,
            (int) Math.max(1, timeout.toSeconds()));
    return helm.run(
        ctx,
        upgrade,
        timeout,
        what,
        "The release may be left pending-upgrade: check `helm history "
            + release
            + " -n "
            + cluster.namespace()
            + "`");
  }

  /** The values to go back to as a file for {@code --values} (JSON is YAML). */
  private static Path valuesFile(StepContext ctx, Map<String, Object> values) throws Exception {
    Path dir = ctx.artifactsDir().resolve(StepArgs.fileName(ctx.stepId()));
    Files.createDirectories(dir);
    Path file = dir.resolve("rollback-values.json");
    Files.writeString(file, HelmYaml.json(values));
    return file;
  }
}
