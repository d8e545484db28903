package io.lockstep.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.lockstep.engine.model.StepContext;
import io.lockstep.steps.StepArgs;
import io.lockstep.steps.StepFailedException;
import java.time.Duration;

/**
 * Sets a workload's replica count and waits until the status shows it: for zero, until no pod of
 * the workload is left (a stopped portal must not still write to the database being backed up);
 * otherwise until that many replicas are ready.
 */
final class Scaling {

  private Scaling() {}

  /**
   * Scales {@code workload} to {@code replicas} and waits up to {@code timeout}.
   *
   * @return the replica count before
   */
  static int scale(
      StepContext ctx, Workload workload, int replicas, Duration timeout, Duration interval)
      throws InterruptedException {
    HasMetadata current = workload.require();
    int previous = workload.kind().replicas(current);
    if (previous == replicas) {
      ctx.log(workload.describe() + " already has " + replicas + " replicas");
    } else {
      workload.kind().setReplicas(current, replicas);
      workload.update(current);
      ctx.log(
          "scaled " + workload.describe() + " from " + previous + " to " + replicas + " replicas");
    }
    String[] state = {""};
    boolean reached =
        Polling.until(
            ctx,
            timeout,
            interval,
            () -> {
              HasMetadata now = workload.require();
              RolloutStatus status = RolloutStatus.of(workload.kind(), now);
              if (replicas == 0) {
                int pods = workload.pods(now).size();
                state[0] = pods + (pods == 1 ? " pod" : " pods") + " still running";
                return status.current() == 0 && pods == 0;
              }
              state[0] = status.progress();
              return status.observed()
                  && status.current() == replicas
                  && status.ready() == replicas;
            });
    if (!reached) {
      throw new StepFailedException(
          workload.describe()
              + " did not reach "
              + replicas
              + " replicas in "
              + StepArgs.format(timeout)
              + ": "
              + state[0]
              + "; look at its pods (kubectl get pods -n "
              + workload.namespace()
              + ") or raise timeout");
    }
    return previous;
  }
}
