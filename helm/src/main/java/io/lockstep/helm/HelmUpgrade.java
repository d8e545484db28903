package io.lockstep.helm;

import io.lockstep.engine.model.StepContext;
import io.lockstep.kubernetes.KubeCluster;
import io.lockstep.steps.StepArgs;
import io.lockstep.steps.StepFailedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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
    Settings settings = Settings.resolve(ctx, args);
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
    HelmResult done =
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
   * Outputs when the release's last revision is this step's (its description names this run and
   * step) and deployed: the upgrade happened, and only the journal missed it.
   */
  Optional<Map<String, Object>> probe(StepContext ctx) throws Exception {
    Settings settings = Settings.resolve(ctx, args);
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
      Settings settings,
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

  /** The step's arguments, resolved for this run. */
  record Settings(
      String release,
      HelmCluster cluster,
      ChartSource chart,
      ChartSource rollbackArg,
      List<String> valuesFiles,
      Map<String, String> set,
      boolean install,
      Duration timeout) {

    static Settings resolve(StepContext ctx, Map<String, Object> args) {
      String release = ctx.resolveText(args.get("release")).strip();
      HelmCluster cluster = cluster(ctx, args, release);
      String version = args.get("version") == null ? null : ctx.resolveText(args.get("version"));
      ChartSource chart =
          ChartSource.resolve(ctx, "chart", ctx.resolveText(args.get("chart")), version);
      ChartSource rollback =
          args.get("rollbackChart") == null
              ? null
              : ChartSource.resolve(
                  ctx, "rollbackChart", ctx.resolveText(args.get("rollbackChart")), null);
      List<String> files = new ArrayList<>();
      List<?> given = StepArgs.list(args, "values");
      for (Object file : given == null ? List.of() : given) {
        Path path = StepArgs.path(ctx, file);
        if (!Files.isRegularFile(path)) {
          throw new StepFailedException(
              "values file "
                  + path
                  + " does not exist; values: takes files relative to the playbook");
        }
        files.add(path.toString());
      }
      Map<String, String> set = new LinkedHashMap<>();
      StepArgs.map(args, "set").forEach((k, v) -> set.put(String.valueOf(k), ctx.resolveText(v)));
      boolean install = Boolean.TRUE.equals(args.get("install"));
      return new Settings(release, cluster, chart, rollback, files, set, install, timeout(args));
    }

    static HelmCluster cluster(StepContext ctx, Map<String, Object> args, String release) {
      return HelmCluster.of(KubeCluster.resolve(ctx, args, "helmUpgrade of release " + release));
    }

    static Duration timeout(Map<String, Object> args) {
      return StepArgs.duration(args, "timeout", HelmUpgradeStepType.DEFAULT_TIMEOUT);
    }

    HelmResult inspect(StepContext ctx, HelmCall helm, boolean previousValues)
        throws IOException, InterruptedException {
      List<HelmRequest.ChartRef> charts = new ArrayList<>();
      charts.add(chart.toRef());
      if (rollbackArg != null && rollbackArg.local()) {
        charts.add(rollbackArg.toRef());
      }
      return helm.run(
          ctx,
          HelmRequest.inspect(cluster, release, charts, previousValues),
          timeout,
          "reading release " + release + " in namespace " + cluster.namespace(),
          "Nothing was changed.");
    }

    /** The undo's chart; a repository rollbackChart is taken at the version the release runs. */
    ChartSource rollbackChart(String running, ChartInfo next, HelmResult state) {
      if (rollbackArg == null) {
        return RollbackChart.choose(release, running, chart, next, null, null);
      }
      if (rollbackArg.local()) {
        ChartInfo given = ChartInfo.parse(state.charts().get(1), "Chart.yaml of rollbackChart");
        return RollbackChart.choose(release, running, chart, next, rollbackArg, given);
      }
      String name = rollbackArg.ref().substring(rollbackArg.ref().lastIndexOf('/') + 1);
      if (!running.startsWith(name + "-")) {
        throw new StepFailedException(
            "rollbackChart "
                + rollbackArg.ref()
                + " is not the chart release "
                + release
                + " runs ("
                + running
                + "); nothing was changed");
      }
      return rollbackArg.atVersion(running.substring(name.length() + 1));
    }

    HelmRequest upgradeRequest(boolean installNow, String description) {
      return new HelmRequest(
          "upgrade",
          release,
          cluster.namespace(),
          cluster.kubeconfig(),
          null,
          List.of(),
          false,
          chart.ref(),
          chart.version(),
          installNow,
          valuesFiles,
          set,
          false,
          description,
          (int) Math.max(1, timeout.toSeconds()));
    }
  }
}
