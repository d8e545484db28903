package io.lockstep.kubernetes;

import io.lockstep.engine.model.Compensation;
import io.lockstep.engine.model.Step;
import io.lockstep.engine.model.StepContext;
import io.lockstep.engine.spi.ArgSpec;
import io.lockstep.engine.spi.StepType;
import io.lockstep.steps.OutputTail;
import io.lockstep.steps.StepArgs;
import io.lockstep.steps.StepFailedException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code execInPod}: runs a command in a pod's container, as {@code kubectl exec}, in a named pod
 * or in the first ready pod of a workload.
 *
 * <pre>{@code
 * execInPod 'gateway-version', name: 'tyk-gtw', command: ['tyk', '--version']
 * }</pre>
 *
 * <p>The command gets no input. Outputs {@code pod}, {@code exitCode}, {@code stdout} and {@code
 * stderr} (each its last 64 KiB). A non-zero exit fails the step with the last lines of stderr.
 * What the command changes is not known: the compensation is undeclared.
 */
public final class ExecInPodStepType implements StepType {

  static final String NAME = "execInPod";

  private static final int TAIL_BYTES = 64 * 1024;

  private static final List<ArgSpec> ARGUMENTS =
      Stream.concat(
              Stream.of(
                  ArgSpec.optional("pod", String.class, null, "the pod to run in"),
                  KubeArgs.KIND,
                  ArgSpec.optional(
                      "name", String.class, null, "else the workload whose first ready pod to use"),
                  ArgSpec.optional(
                      "container", String.class, null, "container (optional when the pod has one)"),
                  ArgSpec.required("command", List.class, "the argument vector, without a shell")),
              KubeCluster.ARGUMENTS.stream())
          .toList();

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String summary() {
    return "run a command in a pod's container (kubectl exec)";
  }

  @Override
  public List<ArgSpec> arguments() {
    return ARGUMENTS;
  }

  @Override
  public Step.Builder create(String id, Map<String, Object> args) {
    Object pod = args.get("pod");
    Object workload = args.get("name");
    if ((pod == null) == (workload == null)) {
      throw new IllegalArgumentException(
          NAME
              + " '"
              + id
              + "': give exactly one of pod (the pod's name) or name (a workload: the command"
              + " runs in its first ready pod)");
    }
    List<?> command = StepArgs.list(args, "command");
    if (command == null || command.isEmpty()) {
      throw new IllegalArgumentException(
          NAME + " '" + id + "': command must be a non-empty list, such as ['tyk', '--version']");
    }
    PodTarget target = new PodTarget(pod, KubeArgs.kind(NAME, id, args), workload);
    Object container = args.get("container");
    Map<String, Object> cluster = KubeArgs.cluster(args);
    return Step.builder(id, ctx -> exec(ctx, target, container, command, cluster))
        .type(NAME)
        .describe(
            "run "
                + command.stream().map(StepArgs::display).toList()
                + " in "
                + (container == null ? "" : "container " + StepArgs.display(container) + " of ")
                + target.describe()
                + KubeArgs.inNamespace(args))
        .compensation(Compensation.undeclared())
        .argument("command", command.stream().map(StepArgs::display).toList());
  }

  private static Map<String, Object> exec(
      StepContext ctx,
      PodTarget target,
      Object containerArg,
      List<?> commandArg,
      Map<String, Object> cluster)
      throws Exception {
    List<String> command = commandArg.stream().map(ctx::resolveText).toList();
    String pod = target.resolve(ctx, cluster, NAME);
    KubeCluster settings = KubeCluster.resolve(ctx, cluster, NAME + " '" + ctx.stepId() + "'");
    var client = settings.client(ctx);
    PodExec exec =
        new PodExec(
            settings, client, settings.namespace(client), pod, ctx.resolveText(containerArg));
    OutputTail stdout = new OutputTail(TAIL_BYTES);
    OutputTail stderr = new OutputTail(TAIL_BYTES);
    int exitCode =
        exec.run(command, null, stdout.asStream(), stderr.asStream(), ctx.cancellation());
    ctx.log(command.get(0) + " exited with " + exitCode + " " + exec.where());
    if (exitCode != 0) {
      List<String> lines = stderr.text().lines().toList();
      throw new StepFailedException(
          command.get(0)
              + " exited with "
              + exitCode
              + " "
              + exec.where()
              + (lines.isEmpty()
                  ? " and wrote nothing on stderr"
                  : ": "
                      + String.join(
                          "\n", lines.subList(Math.max(0, lines.size() - 5), lines.size()))));
    }
    Map<String, Object> outputs = new LinkedHashMap<>();
    outputs.put("pod", pod);
    outputs.put("exitCode", exitCode);
    outputs.put("stdout", stdout.text());
    outputs.put("stderr", stderr.text());
    return outputs;
  }
}
