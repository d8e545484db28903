package io.lockstep.helm;

import io.lockstep.engine.model.StepContext;
import io.lockstep.steps.StepArgs;
import io.lockstep.steps.StepFailedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The upgrade of one {@code helmUpgrade} step, and its probe. Before it changes anything it reads
 * the release (revisions, chart, user-supplied values) and works out the chart the undo will use
 * ({@link RollbackChart}); the upgrade's revision carries a description naming the run and step,
 * which is how the probe recognises it after a crash.
 */
final class HelmUpgrade {

  private final Map<String, Object> args;

  HelmUpgrade(Map<String, Object> args) {
    this.args = args;
  }

  /** The marker an upgrade's revision carries: {@code lockstep run R step S}. */
  static String marker(StepContext ctx) {
    return "lockstep run " + ctx.runId() + " step " + ctx.stepId();
  }

  Map<String, Object> apply(StepContext ctx) throws Exception {
    UpgradeSettings settings = UpgradeSettings.resolve(ctx, args);
    HelmCall helm = HelmCall.forStep(ctx);
    String release = settings.release();
    HelmResult state = settings.inspect(ctx, helm, false);
    ChartInfo next =
        ChartInfo.parse(state.charts().get(0), "Chart.yaml of " + settings.chart().describe());
    HelmResult.Revision current = state.last();
    if (current == null && !settings.install()) {
      throw new StepFailedException(
          "release "
              + release
              + " does not exist in namespace "
              + settings.cluster().namespace()
              + " ("
              + settings.cluster().describe()
              + "): helmUpgrade upgrades an existing release; check the release name and"
              + " namespace, or set install: true to install it");
    }
    if (current != null
        && marker(ctx).equals(current.description())
        && "deployed".equals(current.status())) {
      // An earlier attempt of this step upgraded and then failed (or the journal lost its
      // outputs): upgrading again would record this step's own values as the ones to go back to.
      Optional<Map<String, Object>> earlier = probe(ctx);
      if (earlier.isPresent()) {
        return earlier.get();
      }
    }
    if (current != null && current.status().startsWith("pending")) {
      throw new StepFailedException(
          "release "
              + release
              + " is "
              + current.status()
              + " at revision "
              + current.revision()
              + ": another Helm operation has not finished (or was killed). Check `helm history "
              + release
              + " -n "
              + settings.cluster().namespace()
              + "`; nothing was changed");
    }
    ChartSource rollback =
        current == null ? null : settings.rollbackChart(current.chart(), next, state);
    Map<String, Object> previousValues =
        current == null ? Map.of() : HelmYaml.map(state.values(), "values of release " + release);
    Path saved = savePreviousValues(ctx, previousValues);

    String verb = current == null ? "helm install" : "helm upgrade";
    HelmResult done;
    try {
      done =
          helm.run(
              ctx,
              settings.upgradeRequest(current == null, marker(ctx)),
              settings.timeout(),
              verb + " of release " + release,
              "The release may be left "
                  + (current == null ? "pending-install" : "pending-upgrade")
                  + ": check `helm history "
                  + release
                  + " -n "
                  + settings.cluster().namespace()
                  + "`");
    } catch (StepFailedException failed) {
      if (current == null) {
        throw failed;
      }
      throw putBack(ctx, settings, helm, current, previousValues, rollback, failed);
    }
    Map<String, Object> outputs =
        outputs(
            settings,
            done.release(),
            current,
            next.appVersion(),
            previousValues,
            HelmYaml.map(done.values(), "values of release " + release),
            rollback);
    ctx.log(
        (current == null
                ? "installed release " + release
                : "upgraded release "
                    + release
                    + " from revision "
                    + current.revision()
                    + " ("
                    + current.chart()
                    + ")")
            + " to revision "
            + done.release().revision()
            + " ("
            + done.release().chart()
            + ") in namespace "
            + settings.cluster().namespace()
            + (current == null ? "" : "; previous values saved in " + saved));
    return outputs;
  }

  /**
   * After a failed upgrade, as {@code helm upgrade --atomic} does: when Helm recorded the step's
   * revision as failed, upgrades the release back to the chart and values it had, so a step that
   * fails leaves the release as it found it (the engine undoes finished steps only). A call that
   * was killed leaves the release pending, which Helm refuses to upgrade: that is reported as is.
   *
   * @return the failure to throw, saying what was put back
   */
  private StepFailedException putBack(
      StepContext ctx,
      UpgradeSettings settings,
      HelmCall helm,
      HelmResult.Revision before,
      Map<String, Object> previousValues,
      ChartSource rollback,
      StepFailedException failed)
      throws Exception {
    String release = settings.release();
    HelmResult.Revision last = settings.inspect(ctx, helm, false).last();
    // Helm replaces a failed revision's description with its error, so the revision is known as
    // the one after the revision this step found, now failed.
    if (last == null
        || last.revision() != before.revision() + 1
        || !"failed".equals(last.status())) {
      return failed;
    }
    ctx.log(
        "revision "
            + last.revision()
            + " of release "
            + release
            + " failed; upgrading it back to "
            + before.chart()
            + " with the values of revision "
            + before.revision());
    HelmResult back =
        HelmUndo.upgradeBack(
            ctx,
            helm,
            settings.cluster(),
            release,
            previousValues,
            rollback.ref(),
            rollback.version() == null ? "" : rollback.version(),
            settings.timeout(),
            marker(ctx) + " (put back after its failure)",
            "helm upgrade of release " + release + " back to " + before.chart());
    return new StepFailedException(
        failed.getMessage()
            + "; release "
            + release
            + " was put back to "
            + back.release().chart()
            + " with the values of revision "
            + before.revision()
            + " (now revision "
            + back.release().revision()
            + ")",
        failed);
  }

  /**
   * Outputs when the release's last revision is this step's (its description names this run and
   * step) and deployed: the upgrade happened, and only the journal missed it.
   */
  Optional<Map<String, Object>> probe(StepContext ctx) throws Exception {
    UpgradeSettings settings = UpgradeSettings.resolve(ctx, args);
    HelmCall helm = HelmCall.forStep(ctx);
    HelmResult state = settings.inspect(ctx, helm, true);
    HelmResult.Revision last = state.last();
    if (last == null
        || !marker(ctx).equals(last.description())
        || !"deployed".equals(last.status())) {
      return Optional.empty();
    }
    ChartInfo next =
        ChartInfo.parse(state.charts().get(0), "Chart.yaml of " + settings.chart().describe());
    HelmResult.Revision before = state.beforeLast();
    ChartSource rollback =
        before == null ? null : settings.rollbackChart(before.chart(), next, state);
    Map<String, Object> previousValues =
        before == null ? Map.of() : HelmYaml.map(state.previousValues(), "previous values");
    savePreviousValues(ctx, previousValues);
    ctx.log(
        "release "
            + settings.release()
            + " is already at revision "
            + last.revision()
            + " made by this step ("
            + last.chart()
            + ")");
    return Optional.of(
        outputs(
            settings,
            last,
            before,
            next.appVersion(),
            previousValues,
            HelmYaml.map(state.values(), "values"),
            rollback));
  }

  private static Map<String, Object> outputs(
      UpgradeSettings settings,
      HelmResult.Revision made,
      HelmResult.Revision before,
      String appVersion,
      Map<String, Object> previousValues,
      Map<String, Object> values,
      ChartSource rollback) {
    Map<String, Object> outputs = new LinkedHashMap<>();
    outputs.put("release", settings.release());
    outputs.put("namespace", settings.cluster().namespace());
    outputs.put("revision", made.revision());
    outputs.put("previousRevision", before == null ? 0 : before.revision());
    outputs.put("chart", made.chart());
    outputs.put("previousChart", before == null ? "" : before.chart());
    outputs.put("appVersion", made.appVersion() == null ? appVersion : made.appVersion());
    outputs.put("previousValues", HelmYaml.json(previousValues));
    outputs.put("values", HelmYaml.json(values));
    outputs.put("rollbackChart", rollback == null ? "" : rollback.ref());
    outputs.put(
        "rollbackChartVersion",
        rollback == null || rollback.version() == null ? "" : rollback.version());
    return outputs;
  }

  /** {@code <artifacts>/<step>/previous-values.yaml}: the values the undo will put back. */
  private static Path savePreviousValues(StepContext ctx, Map<String, Object> values)
      throws IOException {
    Path dir = ctx.artifactsDir().resolve(StepArgs.fileName(ctx.stepId()));
    Files.createDirectories(dir);
    Path file = dir.resolve("previous-values.yaml");
    Files.writeString(file, values.isEmpty() ? "{}\n" : HelmYaml.dump(values));
    return file;
  }
}
