package io.lockstep.dsl.spec

import groovy.transform.CompileStatic
import groovy.transform.stc.ClosureParams
import groovy.transform.stc.SimpleType
import io.lockstep.dsl.internal.CompileContext
import io.lockstep.dsl.internal.Pos
import io.lockstep.engine.model.StepContext
import io.lockstep.engine.spi.StepType

/**
 * A block whose children run in order: the playbook, a phase, a branch, a rolling body. Any step
 * type's name is a method here ({@code command 'stop', args: [...]}), dispatched through
 * {@link #methodMissing}.
 */
@CompileStatic
abstract class ContainerSpec extends NodeSpec {

    final List<NodeSpec> children = []

    protected ContainerSpec(CompileContext ctx, Pos pos, String name, String path, String suffix) {
        super(ctx, pos, name, path, suffix)
    }

    /** Path prefix of this block's children. */
    protected String childPath(String childName) {
        path ? "${path}/${childName}".toString() : childName
    }

    /** A call of a registered step type: {@code typeName 'name', arg: value, ... { options }}. */
    Object methodMissing(String name, Object args) {
        Object[] arguments = args instanceof Object[] ? (Object[]) args : [args] as Object[]
        StepType type = ctx.closed || !ctx.isInnermost(this) ? null : ctx.types.find(name).orElse(null)
        if (type == null) {
            throw new MissingMethodException(name, getClass(), arguments)
        }
        StepSpec step = StepSpec.call(ctx, type, arguments, this, false)
        if (step != null) {
            children << step
        }
        null
    }

    /** A step written in Groovy: {@code step('name') { run { ctx -> ...; [output: value] } }}. */
    void step(String name,
              @DelegatesTo(value = RunStepSpec, strategy = Closure.DELEGATE_FIRST) Closure<?> body) {
        if (!accepts('step')) {
            return
        }
        Pos at = ctx.here()
        RunStepSpec options = new RunStepSpec(ctx, at)
        ctx.evaluate(options, body)
        children << new StepSpec(ctx, at, name, childPath(name), suffix, null, 'step', [:], options)
    }

    /**
     * Nothing now; in a rollback, the one step call inside:
     * {@code onRollback('stop-portal') { scaleWorkload name: 'portal', replicas: 0 }}. A rollback
     * undoes steps last first, so this places a move where the rollback reaches it: written after a
     * Helm upgrade, it runs before that upgrade is undone.
     */
    void onRollback(String name,
                    @DelegatesTo(value = CompensateSpec, strategy = Closure.DELEGATE_FIRST) Closure<?> body) {
        onRollback(name, null, body)
    }

    /** {@link #onRollback(String, Closure)} with a description for plans. */
    void onRollback(String name, String description,
                    @DelegatesTo(value = CompensateSpec, strategy = Closure.DELEGATE_FIRST) Closure<?> body) {
        onRollback([:], name, description, body)
    }

    /** {@link #onRollback(Map, String, String, Closure)} without a description. */
    void onRollback(Map<String, Object> options, String name,
                    @DelegatesTo(value = CompensateSpec, strategy = Closure.DELEGATE_FIRST) Closure<?> body) {
        onRollback(options, name, null, body)
    }

    /**
     * {@link #onRollback(String, String, Closure)} with options: {@code dataLoss: 'what the undo
     * discards'} puts a warning in plans, as on any step.
     */
    void onRollback(Map<String, Object> options, String name, String description,
                    @DelegatesTo(value = CompensateSpec, strategy = Closure.DELEGATE_FIRST) Closure<?> body) {
        if (!accepts('onRollback')) {
            return
        }
        Pos at = ctx.here()
        RunStepSpec step = new RunStepSpec(ctx, at)
        step.runs << NOTHING_NOW
        ctx.evaluate(step) {
            step.compensate(description, body)
            if (options.dataLoss != null) {
                step.dataLoss(String.valueOf(options.dataLoss))
            }
        }
        children << new StepSpec(ctx, at, name, childPath(name), suffix, null, ON_ROLLBACK, [:], step)
    }

    /** The type name plans show for {@link #onRollback} steps. */
    static final String ON_ROLLBACK = 'onRollback'

    private static final Closure<?> NOTHING_NOW = { StepContext ignored -> [:] }

    /** Branches that run concurrently: every step call or {@code branch('name') { }} inside is one. */
    void parallel(Map<String, Object> options = [:], String name,
                  @DelegatesTo(value = ParallelSpec, strategy = Closure.DELEGATE_FIRST) Closure<?> body) {
        if (!accepts('parallel')) {
            return
        }
        ParallelSpec parallel = new ParallelSpec(ctx, ctx.here(), name, childPath(name), suffix, options)
        children << parallel
        ctx.evaluate(parallel, body)
    }

    /** The body once per target, in batches: {@code rolling('web', over: targets(role: 'web')) { t -> ... }}. */
    void rolling(Map<String, Object> options = [:], String name,
                 @DelegatesTo(value = RollingBodySpec, strategy = Closure.DELEGATE_FIRST)
                 @ClosureParams(value = SimpleType, options = 'io.lockstep.dsl.spec.TargetView') Closure<?> body) {
        if (!accepts('rolling')) {
            return
        }
        RollingSpec rolling = new RollingSpec(ctx, ctx.here(), name, childPath(name), suffix, options)
        children << rolling
        rolling.expand(body)
    }

    /** A gate a human approves: {@code approve 'go-live', prompt: 'Release notes reviewed?'}. */
    void approve(Map<String, Object> options = [:], String name) {
        if (!accepts('approve')) {
            return
        }
        children << new ApprovalSpec(ctx, ctx.here(), name, childPath(name), suffix, options)
    }

    /** {@code approve prompt: '...'} without a name. */
    void approve(Map<String, Object> options) {
        if (!accepts('approve')) {
            return
        }
        ctx.problem('approve needs a name', "write: approve 'name', prompt: 'Go on?'")
    }
}
