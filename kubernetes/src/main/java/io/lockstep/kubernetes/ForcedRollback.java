package io.lockstep.kubernetes;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.lockstep.engine.model.StepContext;
import java.util.ArrayList;
import java.util.List;

/**
 * The second half of putting a statefulset's previous image back. With its default pod management
 * (OrderedReady) a statefulset replaces no pod while one is not ready, so a pod that crash-loops on
 * the new image stays after the template is put back, and the rollout back never starts.
 * Kubernetes' documented remedy ("forced rollback") is to delete such pods; the controller then
 * recreates them from the template, which is the previous one again.
 */
final class ForcedRollback {

  private ForcedRollback() {}

  /**
   * Deletes the pods of {@code workload} whose container {@code container} runs {@code image} (the
   * image the step set) and is not ready.
   *
   * @return the names of the pods it deleted, in name order
   */
  static List<String> deleteStuckPods(
      StepContext ctx, Workload workload, HasMetadata current, String container, String image) {
    List<String> deleted = new ArrayList<>();
    for (Pod pod : workload.pods(current)) {
      if (pod.getMetadata().getDeletionTimestamp() != null || !stuck(pod, container, image)) {
        continue;
      }
      String name = pod.getMetadata().getName();
      workload.call(
          "delete pod " + name + " of " + workload.describe(),
          () -> workload.client().pods().inNamespace(workload.namespace()).withName(name).delete());
      ctx.log(
          "deleted pod "
              + name
              + " of "
              + workload.describe()
              + ": container "
              + container
              + " is not ready on "
              + image
              + ", and a statefulset does not replace such a pod by itself; it recreates it from"
              + " the previous template");
      deleted.add(name);
    }
    return deleted;
  }

  /** Whether the pod's container runs {@code image} and is not ready. */
  private static boolean stuck(Pod pod, String container, String image) {
    boolean onImage =
        pod.getSpec() != null
            && pod.getSpec().getContainers().stream()
                .anyMatch(c -> container.equals(c.getName()) && image.equals(c.getImage()));
    if (!onImage) {
      return false;
    }
    List<ContainerStatus> statuses =
        pod.getStatus() == null ? null : pod.getStatus().getContainerStatuses();
    return statuses == null
        || statuses.stream()
            .noneMatch(s -> container.equals(s.getName()) && Boolean.TRUE.equals(s.getReady()));
  }
}
