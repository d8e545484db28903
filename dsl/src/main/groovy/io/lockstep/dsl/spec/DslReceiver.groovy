package io.lockstep.dsl.spec

import groovy.transform.CompileStatic
import io.lockstep.dsl.internal.CompileContext
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
