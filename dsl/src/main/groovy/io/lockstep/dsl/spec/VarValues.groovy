package io.lockstep.dsl.spec

import groovy.transform.CompileStatic
import io.lockstep.dsl.internal.CompileContext
import io.lockstep.dsl.internal.Suggestions

/** {@code vars} in a playbook: the environment's variables. */
@CompileStatic
final class VarValues {

    private final CompileContext ctx

    VarValues(CompileContext ctx) {
        this.ctx = ctx
    }

    @Override
    Object getProperty(String name) {
        value(name)
    }

    Object getAt(String name) {
        value(name)
    }

    private Object value(String name) {
        Map<String, Object> vars = ctx.environment.vars
        if (vars.containsKey(name)) {
            return vars[name]
        }
        if (ctx.closed) {
            throw new MissingPropertyException(name, VarValues)
        }
        ctx.problem("unknown var '${name}'".toString(),
                Suggestions.hint(name, vars.keySet(), "vars of environment '${ctx.environment.name}'".toString()))
        null
    }
}
