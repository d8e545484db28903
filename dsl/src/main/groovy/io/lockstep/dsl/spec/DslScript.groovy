package io.lockstep.dsl.spec

import groovy.transform.CompileStatic
import io.lockstep.dsl.internal.CompileContext
import io.lockstep.dsl.internal.UnknownCalls

/** Base of playbook and environment scripts: reports calls nothing in scope understands. */
@CompileStatic
abstract class DslScript extends Script {

    protected CompileContext lockstepContext

    /** Called by the compiler before the script runs. */
    void attachLockstep(CompileContext ctx) {
        this.lockstepContext = ctx
    }

    /** Environment scripts answer differently about playbook words, and the reverse. */
    protected abstract boolean isEnvironmentScript()

    Object methodMissing(String name, Object args) {
        Object[] arguments = args instanceof Object[] ? (Object[]) args : [args] as Object[]
        if (lockstepContext == null || lockstepContext.closed) {
            throw new MissingMethodException(name, getClass(), arguments)
        }
        UnknownCalls.report(lockstepContext, name, arguments, environmentScript)
        null
    }
}
