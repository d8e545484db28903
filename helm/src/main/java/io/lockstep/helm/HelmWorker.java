package io.lockstep.helm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.marcnuri.helm.GetCommand;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.HistoryCommand;
import com.marcnuri.helm.Release;
import com.marcnuri.helm.ReleaseHistory;
import com.marcnuri.helm.ShowCommand;
import com.marcnuri.helm.UninstallCommand;
import com.marcnuri.helm.UpgradeCommand;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The child process that makes the helm-java calls ({@link HelmProcess} starts it): one request per
 * line of standard input, each answered with a {@link HelmResult} line on standard output, until
 * standard input ends. It runs in its own JVM because a Helm call cannot be interrupted and
 * replaces the JVM's signal handlers; the parent kills this process when a call's time is up.
 */
public final class HelmWorker {

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * The kubeconfig file of the current request. A file rather than {@code withKubeConfigContents}:
   * helm-java 0.0.21 ignores the contents on {@code upgrade --install} (Helm then dials
   * localhost:8080).
   */
  private static Path kubeconfig;

  private HelmWorker() {}

  public static void main(String[] args) throws Exception {
    // Helm's Go code may write to file descriptor 1 too: each result goes on its own marked line.
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      if (line.isBlank()) {
        continue;
      }
      HelmResult result;
      try {
        HelmRequest request = JSON.readValue(line, HelmRequest.class);
        kubeconfig = request.kubeconfigFile() == null ? null : Path.of(request.kubeconfigFile());
        result = run(request);
      } catch (Exception | LinkageError e) {
        result = HelmResult.failed(e.getMessage() == null ? e.toString() : e.getMessage());
      }
      out.println();
      out.println(HelmResult.MARKER + JSON.writeValueAsString(result));
      out.flush();
    }
    // Helm's Go runtime keeps threads of its own: end the JVM rather than wait for them.
    System.exit(0);
  }

  static HelmResult run(HelmRequest request) {
    return switch (request.operation()) {
      case "inspect" -> inspect(request);
      case "upgrade" -> upgrade(request);
      case "uninstall" -> uninstall(request);
      default -> HelmResult.failed("unknown Helm operation '" + request.operation() + "'");
    };
  }

  private static HelmResult inspect(HelmRequest request) {
    List<String> charts = new ArrayList<>();
    for (HelmRequest.ChartRef chart : request.charts()) {
      ShowCommand.ShowSubcommand show = Helm.show(chart.chart()).chart();
      if (chart.version() != null) {
        show.withVersion(chart.version());
      }
      charts.add(show.call());
    }
    List<HelmResult.Revision> history = history(request);
    String values = null;
    String previous = null;
    if (!history.isEmpty()) {
      int last = history.get(history.size() - 1).revision();
      values = values(request, last);
      if (request.previousValues() && history.size() > 1) {
        previous = values(request, history.get(history.size() - 2).revision());
      }
    }
    return new HelmResult(null, history, values, previous, charts, null);
  }

  private static HelmResult upgrade(HelmRequest request) {
    UpgradeCommand upgrade =
        Helm.upgrade(request.chart())
            .withName(request.release())
            .withNamespace(request.namespace());
    if (kubeconfig != null) {
      upgrade.withKubeConfig(kubeconfig);
    }
    if (request.version() != null) {
      upgrade.withVersion(request.version());
    }
    if (request.install()) {
      upgrade.install();
    }
    if (request.resetValues()) {
      upgrade.resetValues();
    }
    for (String file : request.valuesFiles()) {
      upgrade.withValuesFile(Path.of(file));
    }
    for (Map.Entry<String, String> set : request.set().entrySet()) {
      upgrade.set(set.getKey(), set.getValue());
    }
    if (request.description() != null) {
      upgrade.withDescription(request.description());
    }
    Release release = upgrade.withTimeout(request.timeoutSeconds()).call();
    int revision = Integer.parseInt(release.getRevision());
    HelmResult.Revision made =
        new HelmResult.Revision(
            revision,
            release.getStatus(),
            release.getChart(),
            release.getAppVersion(),
            request.description());
    return new HelmResult(null, List.of(), values(request, revision), null, List.of(), made);
  }

  private static HelmResult uninstall(HelmRequest request) {
    UninstallCommand uninstall =
        Helm.uninstall(request.release()).withNamespace(request.namespace());
    if (kubeconfig != null) {
      uninstall.withKubeConfig(kubeconfig);
    }
    uninstall.call();
    return new HelmResult(null, List.of(), null, null, List.of(), null);
  }

  /** The release's revisions, oldest first; empty when Helm knows no such release. */
  private static List<HelmResult.Revision> history(HelmRequest request) {
    HistoryCommand history = Helm.history(request.release()).withNamespace(request.namespace());
    if (kubeconfig != null) {
      history.withKubeConfig(kubeconfig);
    }
    List<ReleaseHistory> revisions;
    try {
      revisions = history.call();
    } catch (IllegalStateException e) {
      if (String.valueOf(e.getMessage()).contains("not found")) {
        return List.of();
      }
      throw e;
    }
    return revisions.stream()
        .sorted(Comparator.comparingInt(ReleaseHistory::getRevision))
        .map(
            r ->
                new HelmResult.Revision(
                    r.getRevision(),
                    r.getStatus(),
                    r.getChart(),
                    r.getAppVersion(),
                    r.getDescription()))
        .toList();
  }

  private static String values(HelmRequest request, int revision) {
    GetCommand.GetValuesSubcommand values =
        Helm.get(request.release())
            .values()
            .withRevision(revision)
            .withNamespace(request.namespace());
    if (kubeconfig != null) {
      values.withKubeConfig(kubeconfig);
    }
    return values.call();
  }
}
