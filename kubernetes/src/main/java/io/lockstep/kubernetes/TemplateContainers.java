package io.lockstep.kubernetes;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.lockstep.steps.StepFailedException;
import java.util.List;

/** Finds the container a step means in a workload's pod template. */
final class TemplateContainers {

  private TemplateContainers() {}

  /**
   * The container named {@code name}, or the only one when {@code name} is {@code null}.
   *
   * @param owner the workload, for messages: {@code deployment tyk-gtw (namespace tyk)}
   * @throws StepFailedException when there is no such container, or several and no name
   */
  static Container find(PodTemplateSpec template, String name, String owner) {
    List<Container> containers = template.getSpec().getContainers();
    List<String> names = containers.stream().map(Container::getName).toList();
    if (name == null) {
      if (containers.size() == 1) {
        return containers.get(0);
      }
      throw new StepFailedException(
          "the pod template of "
              + owner
              + " has "
              + containers.size()
              + " containers "
              + names
              + ": set container: to the one the step is about");
    }
    return containers.stream()
        .filter(c -> name.equals(c.getName()))
        .findFirst()
        .orElseThrow(
            () ->
                new StepFailedException(
                    "the pod template of "
                        + owner
                        + " has no container '"
                        + name
                        + "' (it has "
                        + names
                        + "): correct container:"));
  }
}
