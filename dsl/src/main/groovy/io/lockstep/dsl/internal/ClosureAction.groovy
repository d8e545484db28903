package io.lockstep.dsl.internal

import groovy.transform.CompileStatic
import io.lockstep.engine.model.Action
import io.lockstep.engine.model.StepContext

/** A {@code run { ctx -> ... }} closure as an engine action; a returned map becomes the outputs. */
@CompileStatic
final class ClosureAction implements Action {

    private final Closure<?> body

    ClosureAction(Closure<?> body) {
        this.body = body
    }

    @Override
    Map<String, Object> execute(StepContext context) throws Exception {
        Values.outputs(body.call(context))
    }
}
