package io.lockstep.engine.model;

import java.util.Map;
import java.util.Optional;

/**
 * Answers "is this step's effect already in place?" for a step that was in flight when the engine
 * died. Present means yes, with the outputs the step would have returned; empty means no, so the
 * action can safely run again.
 */
@FunctionalInterface
public interface Probe {

  Optional<Map<String, Object>> check(StepContext context) throws Exception;
}
