package io.lockstep.dsl.internal

import groovy.transform.CompileStatic
import io.lockstep.engine.model.Probe
import io.lockstep.engine.model.StepContext

/**
 * A {@code probe { ctx -> ... }} closure as an engine probe: a map means "done, with these outputs",
 * {@code null} or {@code false} means "not done"; any other value counts by Groovy truth.
 */
@CompileStatic
final class ClosureProbe implements Probe {

    private final Closure<?> check

    ClosureProbe(Closure<?> check) {
        this.check = check
    }

    @Override
    Optional<Map<String, Object>> check(StepContext context) throws Exception {
        Object result = check.call(context)
        if (result instanceof Map) {
            return Optional.of(Values.outputs(result))
        }
        result as boolean ? Optional.of([:] as Map<String, Object>) : Optional.<Map<String, Object>> empty()
    }
}
