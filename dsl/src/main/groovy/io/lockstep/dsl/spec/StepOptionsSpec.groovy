package io.lockstep.dsl.spec

import groovy.transform.CompileStatic
import groovy.transform.stc.ClosureParams
import groovy.transform.stc.SimpleType
import io.lockstep.dsl.internal.CompileContext
import io.lockstep.dsl.internal.Pos
import io.lockstep.engine.model.RetryPolicy

/**
 * The delegate of a step's options block: how the step is undone, probed, retried and limited.
 *
 * <pre>
 * command('stop', args: ['bin/service', 'stop']) {
 *     compensate { command args: ['bin/service', 'start'] }
 *     retry attempts: 3, delay: '2s'
 *     timeout '30s'
 * }
 * </pre>
 */
@CompileStatic
class StepOptionsSpec extends DslReceiver {

    final List<CompensateSpec> compensations = []
    String irreversibleReason
    Pos irreversiblePos
    Pos readOnlyPos
    private Closure<?> probeCheck
    Boolean idempotentFlag
    Map<String, Object> retryOptions
    Pos retryPos
    /** Set by the validator from {@code retryOptions}. */
    RetryPolicy retryPolicy
    Object timeoutValue
    Pos timeoutPos
    String dataLossWarning
    Pos dataLossPos
    String labelText

    StepOptionsSpec(CompileContext ctx, Pos pos) {
        super(ctx, pos)
    }

    /** The recorded probe, or {@code null}. */
    Closure<?> recordedProbe() {
        probeCheck
    }

    /** How to undo the step: exactly one step call without a name, or {@code run { ctx -> ... }}. */
    void compensate(@DelegatesTo(value = CompensateSpec, strategy = Closure.DELEGATE_FIRST) Closure<?> body) {
        compensate(null, body)
    }

    /** {@link #compensate(Closure)} with a description for plans. */
    void compensate(String description,
                    @DelegatesTo(value = CompensateSpec, strategy = Closure.DELEGATE_FIRST) Closure<?> body) {
        if (!accepts('compensate')) {
            return
        }
        CompensateSpec compensation = new CompensateSpec(ctx, ctx.here(), description)
        compensations << compensation
        ctx.evaluate(compensation, body)
    }

    /** The step cannot be undone; the plan says so and why. */
    void irreversible(String reason) {
        if (!accepts('irreversible')) {
            return
        }
        irreversiblePos = ctx.here()
        irreversibleReason = reason
    }

    /**
     * Decides a step that was in flight when the engine died: return its outputs (a map) when its
     * effect is in place, {@code null} or {@code false} when it is not.
     */
    void probe(@ClosureParams(value = SimpleType, options = 'io.lockstep.engine.model.StepContext') Closure<?> check) {
        if (!accepts('probe')) {
            return
        }
        probeCheck = check
    }

    /** Whether running the step again is harmless. */
    /**
     * The step only reads (a command used as a check): nothing to undo. Without it, a command or
     * Groovy step with no undo is shown in plans as one whose effect a rollback leaves in place.
     */
    void readOnly() {
        if (!accepts('readOnly')) {
            return
        }
        readOnlyPos = ctx.here()
    }

    void idempotent(boolean value) {
        if (!accepts('idempotent')) {
            return
        }
        idempotentFlag = value
    }

    void idempotent() {
        idempotent(true)
    }

    /** {@code retry attempts: 3, delay: '2s', multiplier: 2, maxDelay: '1m'}. */
    void retry(Map<String, Object> options) {
        if (!accepts('retry')) {
            return
        }
        retryPos = ctx.here()
        retryOptions = options
    }

    /** Time allowed per attempt: {@code timeout '30s'}. */
    void timeout(Object duration) {
        if (!accepts('timeout')) {
            return
        }
        timeoutPos = ctx.here()
        timeoutValue = duration
    }

    /** Warns in plans that rolling this step back discards data. */
    void dataLoss(String warning) {
        if (!accepts('dataLoss')) {
            return
        }
        dataLossPos = ctx.here()
        dataLossWarning = warning
    }

    /** The text plans and progress show instead of the name. */
    void label(String text) {
        if (!accepts('label')) {
            return
        }
        labelText = text
    }
}
