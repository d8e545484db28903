package io.lockstep.dsl.spec

import groovy.transform.CompileStatic
import io.lockstep.dsl.internal.CompileContext
import io.lockstep.dsl.internal.Pos
import io.lockstep.dsl.internal.TreeValidator
import io.lockstep.dsl.internal.Values
import io.lockstep.engine.model.Target

/**
 * The delegate of {@code targets { }}: {@code target 'gw-1', roles: ['gateway'], host: '127.0.0.1'}.
 * Roles become the attribute {@code roles} (a list); every other named argument is an attribute.
 */
@CompileStatic
class TargetsSpec extends DslReceiver {

    private final Map<String, Target> targets

    TargetsSpec(CompileContext ctx, Pos pos, Map<String, Target> targets) {
        super(ctx, pos)
        this.targets = targets
    }

    void target(Map<String, Object> attributes, String name) {
        if (!accepts('target')) {
            return
        }
        Pos at = ctx.here()
        if (!TreeValidator.validName(name)) {
            ctx.problem(at, "invalid target name '${name}'".toString(), TreeValidator.NAME_HINT)
            return
        }
        Map<String, Object> values = new LinkedHashMap<>()
        attributes.each { String key, Object value ->
            if (value == null) {
                ctx.problem(at, "attribute '${key}' of target '${name}' is null".toString(), 'give it a value, or leave it out')
            } else if (key != 'roles') {
                values.put(key, Values.plain(value))
            }
        }
        Object roles = attributes['roles']
        values.put('roles', roles instanceof Collection ? ((Collection<?>) roles).collect { String.valueOf(it) }
                : roles == null ? [] : [String.valueOf(roles)])
        targets.put(name, new Target(name, values))
    }

    void target(String name) {
        target([:], name)
    }
}
