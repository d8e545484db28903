package io.lockstep.dsl.spec

import groovy.transform.CompileStatic
import io.lockstep.dsl.internal.CompileContext
import io.lockstep.dsl.internal.Pos
import io.lockstep.dsl.internal.Values

/** The delegate of {@code vars { }}: every assignment declares a variable; later ones may read earlier ones. */
@CompileStatic
class VarsSpec extends DslReceiver {

    private final Map<String, Object> vars

    VarsSpec(CompileContext ctx, Pos pos, Map<String, Object> vars) {
        super(ctx, pos)
        this.vars = vars
    }

    @Override
    void setProperty(String name, Object value) {
        if (value == null) {
            ctx.problem("var '${name}' is null".toString(), 'give it a value, or leave it out')
            return
        }
        vars.put(name, Values.plain(value))
    }

    @Override
    Object getProperty(String name) {
        if (vars.containsKey(name)) {
            return vars[name]
        }
        throw new MissingPropertyException(name, VarsSpec)
    }

    /** {@code port 18080} declares like {@code port = 18080}. */
    Object methodMissing(String name, Object args) {
        Object[] arguments = args instanceof Object[] ? (Object[]) args : [args] as Object[]
        if (arguments.length != 1 || !ctx.isInnermost(this)) {
            throw new MissingMethodException(name, VarsSpec, arguments)
        }
        setProperty(name, arguments[0])
        null
    }
}
