package io.lockstep.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.lockstep.engine.model.Compensation;
import io.lockstep.engine.model.Step;
import io.lockstep.engine.model.StepContext;
import io.lockstep.engine.spi.ArgSpec;
import io.lockstep.engine.spi.StepType;
import io.lockstep.steps.StepArgs;
import io.lockstep.steps.StepFailedException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code waitRollout}: waits until a deployment or statefulset runs its latest spec on every
 * replica, as {@code kubectl rollout status} does ({@link RolloutStatus}).
 *
 * <pre>{@code
 * waitRollout 'portal-rolled-out', name: 'tyk-dev-portal', timeout: 5.minutes
 * }</pre>
 *
 * <p>A rollout that does not finish in time, or that the controller gave up on ({@code
 * ProgressDeadlineExceeded}), fails with why: the progress, and what each pod of the workload waits
 * for ({@link PodProblems}). Outputs {@code replicas}, {@code updatedReplicas}, {@code
 * readyReplicas} and {@code availableReplicas}. Read-only: nothing to undo.
 */
public final class WaitRolloutStepType implements StepType {

  static final String NAME = "waitRollout";

  private static final List<ArgSpec> ARGUMENTS =
      KubeArgs.workload(
          ArgSpec.optional(
              "timeout", Duration.class, Duration.ofMinutes(5), "how long the rollout may take"),
          ArgSpec.optional(
              "interval", Duration.class, Duration.ofSeconds(2), "how often to read the status"));

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String summary() {
    return "wait until a deployment or statefulset runs its latest spec on every replica";
  }

  @Override
  public List<ArgSpec> arguments() {
    return ARGUMENTS;
  }

  @Override
  public Step.Builder create(String id, Map<String, Object> args) {
    WorkloadKind kind = KubeArgs.kind(NAME, id, args);
    Object name = KubeArgs.required(NAME, id, args, "name");
    Duration timeout = StepArgs.duration(args, "timeout", Duration.ofMinutes(5));
    Duration interval = StepArgs.duration(args, "interval", Duration.ofSeconds(2));
    if (timeout.isNegative() || timeout.isZero() || interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException(
          NAME + " '" + id + "': timeout and interval must be positive");
    }
    Map<String, Object> cluster = KubeArgs.cluster(args);
    return Step.builder(id, ctx -> await(ctx, kind, name, cluster, timeout, interval))
        .type(NAME)
        .describe(
            "wait up to "
                + StepArgs.format(timeout)
                + " for "
                + kind.word()
                + " "
                + StepArgs.display(name)
                + KubeArgs.inNamespace(args)
                + " to roll out")
        .compensation(Compensation.none())
        .idempotent(true)
        .argument("kind", kind.word())
        .argument("name", StepArgs.display(name))
        .argument("timeout", StepArgs.format(timeout));
  }

  private static Map<String, Object> await(
      StepContext ctx,
      WorkloadKind kind,
      Object nameArg,
      Map<String, Object> cluster,
      Duration timeout,
      Duration interval)
      throws Exception {
    Workload workload = Workload.locate(ctx, cluster, kind, ctx.resolveText(nameArg), NAME);
    RolloutStatus[] last = new RolloutStatus[1];
    HasMetadata[] read = new HasMetadata[1];
    boolean done =
        Polling.until(
            ctx,
            timeout,
            interval,
            () -> {
              read[0] = workload.require();
              last[0] = RolloutStatus.of(kind, read[0]);
              if (last[0].stalled() != null) {
                throw new StepFailedException(
                    workload.describe()
                        + " did not roll out: "
                        + last[0].stalled()
                        + "; "
                        + why(workload, read[0], last[0]));
              }
              return last[0].done();
            });
    if (!done) {
      throw new StepFailedException(
          workload.describe()
              + " did not roll out in "
              + StepArgs.format(timeout)
              + ": "
              + why(workload, read[0], last[0]));
    }
    ctx.log(workload.describe() + " rolled out: " + last[0].progress());
    return last[0].outputs();
  }

  /** The progress, then what each pod with a problem waits for. */
  private static String why(Workload workload, HasMetadata read, RolloutStatus status) {
    List<String> problems = PodProblems.of(workload.pods(read));
    return status.progress() + (problems.isEmpty() ? "" : "; " + String.join("; ", problems));
  }
}
