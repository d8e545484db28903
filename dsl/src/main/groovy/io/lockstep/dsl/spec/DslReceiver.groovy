package io.lockstep.dsl.spec

import groovy.transform.CompileStatic
import io.lockstep.dsl.internal.CompileContext
import io.lockstep.dsl.internal.Keywords
import io.lockstep.dsl.internal.Pos

/**
 * Base of every DSL block's delegate. Scripts see only its DSL methods: its fields and getters are
 * hidden from property access, so a name such as {@code params} or a script variable falls through
 * to the closure's owner as the script author expects.
 */
@CompileStatic
abstract class DslReceiver {

    protected final CompileContext ctx
    protected final Pos pos

    protected DslReceiver(CompileContext ctx, Pos pos) {
        this.ctx = ctx
        this.pos = pos
    }

    /** Set when a problem was reported inside this block: checks for emptiness are then moot. */
    boolean failed

    /**
     * Guards every DSL method. Groovy resolves a name an inner block does not know on the outer
     * blocks' delegates, so {@code phase('x') { }} inside a phase would reach the playbook's
     * {@code phase}; a DSL method acts only for the innermost block.
     */
    protected boolean accepts(String keyword) {
        if (ctx.closed || ctx.isInnermost(this)) {
            return true
        }
        String place = Keywords.PLACE[keyword]
        ctx.problem("${keyword} is not allowed here".toString(), place ? "write it ${place}".toString() : null)
        false
    }

    /** Where this block's call is written. */
    Pos position() {
        pos
    }

    @Override
    Object getProperty(String name) {
        throw new MissingPropertyException(name, getClass())
    }

    @Override
    void setProperty(String name, Object value) {
        throw new MissingPropertyException(name, getClass())
    }
}
