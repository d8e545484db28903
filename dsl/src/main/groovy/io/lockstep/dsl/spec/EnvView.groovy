package io.lockstep.dsl.spec

import groovy.transform.CompileStatic
import io.lockstep.dsl.internal.CompileContext

/** {@code env} in a playbook: {@code env.name} is the environment's name. */
@CompileStatic
final class EnvView {

    private final CompileContext ctx

    EnvView(CompileContext ctx) {
        this.ctx = ctx
    }

    @Override
    Object getProperty(String name) {
        if (name == 'name') {
            return ctx.environment.name
        }
        if (ctx.closed) {
            throw new MissingPropertyException(name, EnvView)
        }
        ctx.problem("unknown env property '${name}'".toString(), 'env has: name (vars are read with vars.name)')
        null
    }

    @Override
    String toString() {
        ctx.environment.name
    }
}
