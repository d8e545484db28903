package io.lockstep.database;

import io.lockstep.engine.model.StepContext;
import io.lockstep.engine.spi.ArgSpec;
import java.util.List;
import java.util.Map;

/**
 * Makes the transport a {@code via} name selects. {@code local} is built in; other modules register
 * theirs in {@code META-INF/services/io.lockstep.database.TransportProvider} (the Docker connector
 * {@code docker}, the SSH connector {@code ssh}), so the database steps need none of their
 * libraries. The arguments a provider declares are added to both database steps.
 */
public interface TransportProvider {

  /** The name {@code via} selects: {@code docker}. */
  String name();

  /**
   * The step arguments this transport reads, such as {@code container}; their names must not clash
   * with the database arguments ({@code host}, {@code port}, {@code user}, ...).
   */
  List<ArgSpec> arguments();

  /**
   * Checks the arguments when the step is created, before anything runs.
   *
   * @param args this transport's arguments as the playbook gave them (unresolved)
   * @throws IllegalArgumentException saying what is wrong
   */
  default void check(Map<String, Object> args) {}

  /**
   * Where the tools will run, for plans: {@code in container tyk-db}; unresolved values by name.
   */
  String where(Map<String, Object> args);

  /**
   * The transport for one step's action; closed when the action ends.
   *
   * @param args this transport's arguments as the playbook gave them (unresolved)
   * @throws io.lockstep.steps.StepFailedException when the arguments do not resolve to a place
   */
  Transport open(Map<String, Object> args, StepContext ctx);
}
