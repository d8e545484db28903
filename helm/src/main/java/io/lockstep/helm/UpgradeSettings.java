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

/**
 * The arguments of a {@code helmUpgrade} step, resolved for this run (templates, paths relative to
 * the playbook, cluster settings from the step or its target), and the Helm requests they make.
 */
record UpgradeSettings(
    String release,
    HelmCluster cluster,
    ChartSource chart,
    ChartSource rollbackArg,
    List<String> valuesFiles,
    Map<String, String> set,
    boolean install,
    Duration timeout) {

  static UpgradeSettings resolve(StepContext ctx, Map<String, Object> args) {
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
    return new UpgradeSettings(
        release, cluster, chart, rollback, files, set, install, timeout(args));
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
