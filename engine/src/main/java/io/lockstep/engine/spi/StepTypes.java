package io.lockstep.engine.spi;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

/** The step types a playbook can call, by name. */
public final class StepTypes {

  private final Map<String, StepType> byName;

  private StepTypes(Collection<StepType> types) {
    Map<String, StepType> map = new LinkedHashMap<>();
    for (StepType type : types) {
      StepType previous = map.putIfAbsent(type.name(), type);
      if (previous != null) {
        throw new IllegalStateException(
            "two step types are named "
                + type.name()
                + ": "
                + previous.getClass().getName()
                + " and "
                + type.getClass().getName());
      }
    }
    this.byName = Map.copyOf(map);
  }

  /** Every step type registered through {@link ServiceLoader} on this class loader. */
  public static StepTypes load(ClassLoader loader) {
    List<StepType> types = new ArrayList<>();
    ServiceLoader.load(StepType.class, loader).forEach(types::add);
    return new StepTypes(types);
  }

  /** Exactly these step types (tests, embedders with their own). */
  public static StepTypes of(Collection<StepType> types) {
    return new StepTypes(types);
  }

  public Optional<StepType> find(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  /** All names, for "did you mean" hints and IDE descriptors. */
  public List<String> names() {
    return byName.keySet().stream().sorted().toList();
  }
}
