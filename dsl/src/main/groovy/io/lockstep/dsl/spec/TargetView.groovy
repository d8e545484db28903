package io.lockstep.dsl.spec

import groovy.transform.CompileStatic
import io.lockstep.dsl.internal.CompileContext
import io.lockstep.dsl.internal.EnvironmentDef
import io.lockstep.dsl.internal.Suggestions
import io.lockstep.engine.model.Target

/**
 * A target as a playbook sees it: {@code t.name}, {@code t.roles}, and every attribute from the
 * environment as a property ({@code t.host}, {@code t.port}). The model keeps the engine's
 * {@link Target}; {@code t.target} is that.
 */
@CompileStatic
final class TargetView {

    private final CompileContext ctx
    private final Target target

    TargetView(CompileContext ctx, Target target) {
        this.ctx = ctx
        this.target = target
    }

    /** The environment's target of this name, or {@code null} after reporting that it is unknown. */
    static TargetView named(CompileContext ctx, String name) {
        Target target = ctx.environment.targets[name]
        if (target == null) {
            ctx.problem("unknown target '${name}'".toString(),
                    Suggestions.hint(name, ctx.environment.targets.keySet(), "targets of environment '${ctx.environment.name}'".toString()))
            return null
        }
        new TargetView(ctx, target)
    }

    Target unwrap() {
        target
    }

    @Override
    Object getProperty(String name) {
        switch (name) {
            case 'name': return target.name()
            case 'target': return target
            case 'roles': return EnvironmentDef.rolesOf(target)
            case 'attributes': return target.attributes()
        }
        if (target.attributes().containsKey(name)) {
            return target.attributes()[name]
        }
        if (ctx.closed) {
            throw new MissingPropertyException(name, TargetView)
        }
        ctx.problem("unknown target attribute '${name}'".toString(),
                Suggestions.hint(name, target.attributes().keySet(), "attributes of target '${target.name()}'".toString()))
        null
    }

    @Override
    String toString() {
        target.name()
    }

    @Override
    boolean equals(Object other) {
        other instanceof TargetView && ((TargetView) other).target == target
    }

    @Override
    int hashCode() {
        target.hashCode()
    }
}
