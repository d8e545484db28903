package io.lockstep.helm;

import java.util.List;
import java.util.Map;

/**
 * One Helm call, as the parent sends it to {@link HelmWorker} on standard input (JSON).
 *
 * @param operation {@code inspect}, {@code upgrade} or {@code uninstall}
 * @param kubeconfig the kubeconfig's contents, with the chosen context current; {@code null} for
 *     Helm's own search. {@link HelmCall} writes it to {@code kubeconfigFile} and sends the request
 *     without it, so the credentials never pass through the child or a shared temporary directory
 * @param kubeconfigFile the private file {@link HelmWorker} hands Helm
 * @param charts for {@code inspect}: the charts whose Chart.yaml to show
 * @param previousValues for {@code inspect}: also read the values of the revision before the last
 * @param chart for {@code upgrade}: a local path or a repository reference
 * @param valuesFiles for {@code upgrade}: absolute paths, applied in order
 * @param set for {@code upgrade}: {@code --set} paths and values
 * @param resetValues for {@code upgrade}: start from the chart's defaults, not the release's values
 * @param timeoutSeconds Helm's own timeout for the operation
 */
public record HelmRequest(
    String operation,
    String release,
    String namespace,
    String kubeconfig,
    String kubeconfigFile,
    List<ChartRef> charts,
    boolean previousValues,
    String chart,
    String version,
    boolean install,
    List<String> valuesFiles,
    Map<String, String> set,
    boolean resetValues,
    String description,
    int timeoutSeconds) {

  /** A chart to show: a path or repository reference, and a version (or null). */
  public record ChartRef(String chart, String version) {}

  static HelmRequest inspect(
      HelmCluster cluster, String release, List<ChartRef> charts, boolean previousValues) {
    return new HelmRequest(
        "inspect",
        release,
        cluster.namespace(),
        cluster.kubeconfig(),
        null,
        charts,
        previousValues,
        null,
        null,
        false,
        List.of(),
        Map.of(),
        false,
        null,
        0);
  }

  /** This request with the kubeconfig replaced by the file that holds it. */
  HelmRequest withKubeconfigFile(String file) {
    return new HelmRequest(
        operation,
        release,
        namespace,
        null,
        file,
        charts,
        previousValues,
        chart,
        version,
        install,
        valuesFiles,
        set,
        resetValues,
        description,
        timeoutSeconds);
  }

  static HelmRequest uninstall(HelmCluster cluster, String release, int timeoutSeconds) {
    return new HelmRequest(
        "uninstall",
        release,
        cluster.namespace(),
        cluster.kubeconfig(),
        null,
        List.of(),
        false,
        null,
        null,
        false,
        List.of(),
        Map.of(),
        false,
        null,
        timeoutSeconds);
  }
}
