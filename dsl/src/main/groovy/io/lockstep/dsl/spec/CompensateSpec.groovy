package io.lockstep.dsl.spec

import groovy.transform.CompileStatic
import groovy.transform.stc.ClosureParams
import groovy.transform.stc.SimpleType
import io.lockstep.dsl.internal.CompileContext
import io.lockstep.dsl.internal.Pos
import io.lockstep.engine.model.RetryPolicy
import io.lockstep.engine.spi.StepType

/**
 * The delegate of {@code compensate { }}: one step call without a name
 * ({@code compensate { command args: ['bin/service', 'start'] }}) or {@code run { ctx -> ... }}.
 */
@CompileStatic
class CompensateSpec extends DslReceiver {

    final String description
    final List<StepSpec> steps = []
    final List<Closure<?>> runs = []
    Map<String, Object> retryOptions
    Pos retryPos
    RetryPolicy retryPolicy

    CompensateSpec(CompileContext ctx, Pos pos, String description) {
        super(ctx, pos)
        this.description = description
    }

    /** The undo action in Groovy; {@code ctx.ownOutputs()} are the outputs of the step it undoes. */
    void run(@ClosureParams(value = SimpleType, options = 'io.lockstep.engine.model.StepContext') Closure<?> action) {
        if (accepts('run')) {
            runs << action
        }
    }

    /** How often the compensation is tried before the rollback stops. */
    void retry(Map<String, Object> options) {
        if (!accepts('retry')) {
            return
        }
        retryPos = ctx.here()
        retryOptions = options
    }

    /** A step type call without a name. */
    Object methodMissing(String name, Object args) {
        Object[] arguments = args instanceof Object[] ? (Object[]) args : [args] as Object[]
        StepType type = ctx.closed || !ctx.isInnermost(this) ? null : ctx.types.find(name).orElse(null)
        if (type == null) {
            throw new MissingMethodException(name, getClass(), arguments)
        }
        StepSpec step = StepSpec.call(ctx, type, arguments, new PhaseSpec(ctx, pos, '', ''), true)
        if (step != null) {
            steps << step
        }
        null
    }
}
