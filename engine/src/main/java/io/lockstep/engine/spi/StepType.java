package io.lockstep.engine.spi;

import io.lockstep.engine.model.Step;
import java.util.List;
import java.util.Map;

/**
 * A kind of step playbooks can use by name ({@code command}, {@code backupFiles}, later {@code
 * pullImage}, {@code rpmUpgrade}, ...). Connectors contribute step types through {@link
 * java.util.ServiceLoader} ({@code META-INF/services/io.lockstep.engine.spi.StepType}); the DSL
 * checks a call's arguments against {@link #arguments()} before anything runs, then calls {@link
 * #create}.
 *
 * <p>{@link #create} returns a builder with the type's action, default compensation, probe and
 * idempotency already set; the playbook may override any of them.
 */
public interface StepType {

  /** The name playbooks call, such as {@code backupFiles}. */
  String name();

  /** One line for errors, plans and IDE descriptors. */
  String summary();

  /** The arguments this type accepts. */
  List<ArgSpec> arguments();

  /**
   * A step of this type with these arguments. The caller has already checked names, types and
   * required arguments against {@link #arguments()} and filled in defaults; values may contain
   * {@link io.lockstep.engine.model.SecretRef} and {@link io.lockstep.engine.model.Template} that
   * the action resolves at run time with {@link
   * io.lockstep.engine.model.StepContext#resolve(Object)}.
   *
   * @throws IllegalArgumentException with a message for the user when values are inconsistent
   */
  Step.Builder create(String id, Map<String, Object> arguments);
}
