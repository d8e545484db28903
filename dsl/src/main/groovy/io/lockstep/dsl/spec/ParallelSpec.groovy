package io.lockstep.dsl.spec

import groovy.transform.CompileStatic
import io.lockstep.dsl.internal.CompileContext
import io.lockstep.dsl.internal.Pos

/**
 * The delegate of {@code parallel('name', maxConcurrency: 2) { }}: each step call, nested block or
 * {@code branch('name') { }} is one branch.
 */
@CompileStatic
class ParallelSpec extends ContainerSpec {

    final Map<String, Object> options

    ParallelSpec(CompileContext ctx, Pos pos, String name, String path, String suffix, Map<String, Object> options) {
        super(ctx, pos, name, path, suffix)
        this.options = options
    }

    /** A branch of several steps that run in order. */
    void branch(String name, @DelegatesTo(value = BranchSpec, strategy = Closure.DELEGATE_FIRST) Closure<?> body) {
        if (!accepts('branch')) {
            return
        }
        BranchSpec branch = new BranchSpec(ctx, ctx.here(), name, childPath(name), suffix)
        children << branch
        ctx.evaluate(branch, body)
    }
}
