package io.lockstep.dsl.spec

import groovy.transform.CompileStatic
import groovy.transform.stc.ClosureParams
import groovy.transform.stc.SimpleType
import io.lockstep.dsl.internal.CompileContext
import io.lockstep.dsl.internal.Pos

/**
 * The delegate of {@code step('name') { }}: a step written in Groovy. Its {@code run} closure is not
 * called when the playbook loads; the engine calls it when the step runs.
 */
@CompileStatic
class RunStepSpec extends StepOptionsSpec {

    final List<Closure<?>> runs = []

    RunStepSpec(CompileContext ctx, Pos pos) {
        super(ctx, pos)
    }

    /** The action: gets the step context, returns a map of outputs (or nothing). */
    void run(@ClosureParams(value = SimpleType, options = 'io.lockstep.engine.model.StepContext') Closure<?> action) {
        if (accepts('run')) {
            runs << action
        }
    }
}
