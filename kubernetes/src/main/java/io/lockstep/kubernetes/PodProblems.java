package io.lockstep.kubernetes;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.util.ArrayList;
import java.util.List;

/**
 * Why a workload's pods do not run, in the words a user acts on: the waiting and terminated reasons
 * of their containers ({@code ImagePullBackOff} with the image it could not pull, {@code
 * CrashLoopBackOff} with the last exit code) and pods the scheduler cannot place.
 */
final class PodProblems {

  private PodProblems() {}

  /**
   * One entry per pod with a problem: {@code pod x: container y waiting: ImagePullBackOff (...)}.
   */
  static List<String> of(List<Pod> pods) {
    List<String> problems = new ArrayList<>();
    for (Pod pod : pods) {
      List<String> found = new ArrayList<>();
      if (pod.getStatus() != null) {
        unscheduled(pod).ifPresent(found::add);
        if (pod.getStatus().getContainerStatuses() != null) {
          for (ContainerStatus container : pod.getStatus().getContainerStatuses()) {
            String problem = problem(container);
            if (problem != null) {
              found.add(problem);
            }
          }
        }
      }
      if (!found.isEmpty()) {
        problems.add("pod " + pod.getMetadata().getName() + ": " + String.join(", ", found));
      }
    }
    return problems;
  }

  private static java.util.Optional<String> unscheduled(Pod pod) {
    if (pod.getStatus().getConditions() == null) {
      return java.util.Optional.empty();
    }
    for (PodCondition condition : pod.getStatus().getConditions()) {
      if ("PodScheduled".equals(condition.getType()) && "False".equals(condition.getStatus())) {
        return java.util.Optional.of(
            "not scheduled: " + condition.getReason() + message(condition.getMessage()));
      }
    }
    return java.util.Optional.empty();
  }

  private static String problem(ContainerStatus container) {
    if (container.getState() == null) {
      return null;
    }
    ContainerStateWaiting waiting = container.getState().getWaiting();
    if (waiting != null && waiting.getReason() != null) {
      String text =
          "container "
              + container.getName()
              + " waiting: "
              + waiting.getReason()
              + message(waiting.getMessage());
      ContainerStateTerminated last =
          container.getLastState() == null ? null : container.getLastState().getTerminated();
      if (last != null) {
        text += ", last exit code " + last.getExitCode();
      }
      return text;
    }
    ContainerStateTerminated terminated = container.getState().getTerminated();
    if (terminated != null && (terminated.getExitCode() == null || terminated.getExitCode() != 0)) {
      return "container "
          + container.getName()
          + " terminated: "
          + terminated.getReason()
          + " (exit code "
          + terminated.getExitCode()
          + ")";
    }
    return null;
  }

  private static String message(String message) {
    return message == null || message.isBlank() ? "" : " (" + message + ")";
  }
}
