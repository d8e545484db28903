package io.lockstep.engine.internal;

import io.lockstep.engine.LockstepException;
import io.lockstep.engine.RunEvent;
import io.lockstep.engine.model.Cancellation;
import io.lockstep.engine.model.RunResources;
import io.lockstep.engine.model.Step;
import io.lockstep.engine.model.StepContext;
import io.lockstep.engine.model.Target;
import io.lockstep.engine.spi.SecretResolver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/** The {@link StepContext} the engine gives to an action, probe or compensation. */
final class ContextImpl implements StepContext {

  private final RunSession session;
  private final Step step;
  private final int attempt;
  private final Map<String, Object> ownOutputs;
  private final Instant startedAt;
  private final CancellationToken cancellation;

  ContextImpl(
      RunSession session,
      Step step,
      int attempt,
      Map<String, Object> ownOutputs,
      CancellationToken cancellation) {
    this.session = session;
    this.step = step;
    this.attempt = attempt;
    this.ownOutputs = ownOutputs;
    this.startedAt = Instant.now();
    this.cancellation = cancellation;
  }

  @Override
  public String runId() {
    return session.runId();
  }

  @Override
  public String stepId() {
    return step.id();
  }

  @Override
  public Target target() {
    return step.target();
  }

  @Override
  public int attempt() {
    return attempt;
  }

  @Override
  public Map<String, Object> params() {
    return session.playbook().params();
  }

  @Override
  public Map<String, Object> vars() {
    return session.playbook().vars();
  }

  @Override
  public Map<String, Object> outputs(String stepId) {
    Map<String, Object> outputs = session.state().outputs(stepId);
    if (outputs == null) {
      throw new IllegalStateException(
          "step " + step.id() + " reads the outputs of " + stepId + ", which has not finished");
    }
    return outputs;
  }

  @Override
  public Map<String, Object> ownOutputs() {
    return ownOutputs;
  }

  @Override
  public RunResources resources() {
    return session.resources();
  }

  @Override
  public String secret(String name) {
    String value =
        session
            .secrets()
            .resolve(name)
            .orElseThrow(
                () ->
                    new LockstepException(
                        // the hint in the message too: a step's failure shows only the message
                        "secret '"
                            + name
                            + "' has no value (the default resolver reads the environment"
                            + " variable "
                            + SecretResolver.environmentVariable(name)
                            + ")",
                        "give it to the secret resolver; by default set the environment variable"
                            + " "
                            + SecretResolver.environmentVariable(name)));
    session.masker().register(value);
    return value;
  }

  @Override
  public Instant startedAt() {
    return startedAt;
  }

  @Override
  public Instant stepStartedAt(String stepId) {
    return session.state().firstStartedAt(stepId);
  }

  @Override
  public Path artifactsDir() {
    try {
      return session.journal().artifactsDir();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public Path baseDir() {
    return session.playbook().baseDir();
  }

  @Override
  public void log(String line) {
    session.emit(RunEvent.Type.STEP_LOG, step, session.masker().mask(line), Map.of(), 0, attempt);
  }

  @Override
  public Cancellation cancellation() {
    return cancellation;
  }
}
