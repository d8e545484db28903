package io.lockstep.database;

import java.util.List;

/**
 * The transports {@code via} can name. Only {@code local} exists today; the names of the planned
 * ones are reserved so a playbook written for them gets a plain answer instead of "unknown".
 */
final class Transports {

  /** Transports that will come: {@code docker exec}, SSH, {@code kubectl exec}. */
  static final List<String> PLANNED = List.of("docker", "ssh", "kubernetes");

  private Transports() {}

  static List<String> known() {
    return List.of(LocalTransport.NAME);
  }

  /**
   * The transport named {@code via}.
   *
   * @throws IllegalArgumentException naming the known transports
   */
  static Transport named(String via) {
    if (LocalTransport.NAME.equals(via)) {
      return LocalTransport.INSTANCE;
    }
    if (PLANNED.contains(via)) {
      throw new IllegalArgumentException(
          "via '"
              + via
              + "' is planned but not available yet: use via: 'local' and run Lockstep where "
              + "the database's tools can reach it");
    }
    throw new IllegalArgumentException(
        "unknown via '"
            + via
            + "': known transports are "
            + String.join(", ", known())
            + " (planned: "
            + String.join(", ", PLANNED)
            + ")");
  }
}
