package io.lockstep.kubernetes;

import io.fabric8.kubernetes.api.model.Pod;
import io.lockstep.engine.model.Step;
import io.lockstep.engine.model.StepContext;
import io.lockstep.engine.spi.ArgSpec;
import io.lockstep.engine.spi.StepType;
import io.lockstep.steps.StepArgs;
import io.lockstep.steps.StepFailedException;
import io.lockstep.steps.logs.LineSplitter;
import io.lockstep.steps.logs.LogCheckArgs;
import io.lockstep.steps.logs.LogScanResult;
import io.lockstep.steps.logs.LogScanner;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code assertPodLogsClean}: scans the logs of every pod of a workload (or of a label selector)
 * for error lines and expected lines, with the rules of {@code assertContainerLogClean}: only lines
 * logged since another step started ({@code since}), else since this step began.
 *
 * <pre>{@code
 * assertPodLogsClean 'gateway-log', name: 'tyk-gtw', since: 'upgrade/set-image',
 *     expect: ['Gateway started']
 * }</pre>
 *
 * <p>The API server filters the lines by time ({@code sinceTime}), so each line counts as it comes,
 * streamed through a {@link LogScanner} per pod: flat memory. Expected lines must appear in every
 * pod's log. Outputs {@code pods}, {@code linesScanned}, {@code errorCount}, {@code errorLines}
 * ({@code pod:line: text}) and {@code expectedMissing} (by pod). Read-only.
 */
public final class AssertPodLogsCleanStepType implements StepType {

  static final String NAME = "assertPodLogsClean";

  private static final List<ArgSpec> ARGUMENTS =
      Stream.of(
              List.of(
                  KubeArgs.KIND,
                  ArgSpec.optional("name", String.class, null, "the workload whose pods to read"),
                  ArgSpec.optional(
                      "selector",
                      Object.class,
                      null,
                      "labels of the pods to read, instead of name"),
                  ArgSpec.optional(
                      "container",
                      String.class,
                      null,
                      "container whose log to read (optional when pods have one)")),
              // Following the logs of several pods at once is not supported: no follow argument.
              LogCheckArgs.ARGUMENTS.stream().filter(a -> !a.name().equals("follow")).toList(),
              KubeCluster.ARGUMENTS)
          .flatMap(List::stream)
          .toList();

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String summary() {
    return "fail if the logs of a workload's pods since a step have error lines or lack expected"
        + " lines";
  }

  @Override
  public List<ArgSpec> arguments() {
    return ARGUMENTS;
  }

  @Override
  public Step.Builder create(String id, Map<String, Object> args) {
    PodSelection selection = PodSelection.of(NAME, id, args);
    if (args.get("follow") != null) {
      throw new IllegalArgumentException(
          NAME + " '" + id + "': follow is not supported; wait with waitRollout first");
    }
    LogCheckArgs check = LogCheckArgs.of(NAME, id, args);
    Object container = args.get("container");
    Map<String, Object> cluster = KubeArgs.cluster(args);
    Step.Builder step =
        Step.builder(id, ctx -> check(ctx, selection, container, check, cluster))
            .type(NAME)
            .describe(
                "scan the logs of "
                    + (container == null ? "" : "container " + StepArgs.display(container) + " in ")
                    + selection.describe()
                    + KubeArgs.inNamespace(args)
                    + check.describe())
            .idempotent(true);
    check.addTo(step);
    return step;
  }

  private static Map<String, Object> check(
      StepContext ctx,
      PodSelection selection,
      Object containerArg,
      LogCheckArgs check,
      Map<String, Object> cluster)
      throws Exception {
    String container = ctx.resolveText(containerArg);
    Instant since = check.start(ctx, NAME);
    List<Pod> pods = selection.pods(ctx, cluster, NAME);
    if (pods.isEmpty()) {
      throw new StepFailedException(
          "no pods found: " + selection.describe() + " has none to read logs from");
    }
    KubeCluster settings = KubeCluster.resolve(ctx, cluster, NAME + " '" + ctx.stepId() + "'");
    var client = settings.client(ctx);
    long lines = 0;
    long errors = 0;
    List<String> errorLines = new ArrayList<>();
    Map<String, List<String>> missing = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    for (Pod pod : pods) {
      String podName = pod.getMetadata().getName();
      String which = container(pod, container);
      LogScanner scanner = check.scanner(null); // the server already left out older lines
      KubeCalls.call(
          settings,
          client,
          "read the log of pod " + podName,
          () -> {
            try (InputStream in =
                PodLogRequest.open(
                    client,
                    pod.getMetadata().getNamespace(),
                    podName,
                    which,
                    since,
                    settings.requestTimeout())) {
              LineSplitter splitter = new LineSplitter(scanner::accept);
              byte[] buffer = new byte[64 * 1024];
              int n;
              while ((n = in.read(buffer)) > 0) {
                ctx.cancellation().throwIfCancelled();
                splitter.feed(buffer, 0, n);
              }
              splitter.finish();
              return null;
            } catch (java.io.IOException e) {
              throw new StepFailedException("cannot read the log of pod " + podName + ": " + e, e);
            }
          });
      LogScanResult result = scanner.result();
      lines += result.linesScanned();
      errors += result.errorCount();
      result.errorLines().forEach(line -> errorLines.add(podName + ":" + line));
      if (!result.expectedMissing().isEmpty()) {
        missing.put(podName, result.expectedMissing());
      }
      ctx.log(
          "scanned "
              + result.linesScanned()
              + " lines of pod "
              + podName
              + " (container "
              + which
              + ")"
              + check.scope()
              + ": "
              + result.errorCount()
              + " error lines");
      if (!result.clean()) {
        problems.add("pod " + podName + " (container " + which + "): " + result.problems());
      }
    }
    if (!problems.isEmpty()) {
      throw new StepFailedException(
          "logs" + check.scope() + " are not clean: " + String.join("; ", problems));
    }
    Map<String, Object> outputs = new LinkedHashMap<>();
    outputs.put("pods", pods.stream().map(p -> p.getMetadata().getName()).toList());
    outputs.put("linesScanned", lines);
    outputs.put("errorCount", errors);
    outputs.put("errorLines", errorLines);
    outputs.put("expectedMissing", missing);
    return outputs;
  }

  /** The container to read: the argument, or the pod's only one. */
  private static String container(Pod pod, String container) {
    if (container != null) {
      return container;
    }
    var containers = pod.getSpec().getContainers();
    if (containers.size() != 1) {
      throw new StepFailedException(
          "pod "
              + pod.getMetadata().getName()
              + " has "
              + containers.size()
              + " containers "
              + containers.stream().map(c -> c.getName()).toList()
              + ": set container: to the one whose log to scan");
    }
    return containers.get(0).getName();
  }
}
