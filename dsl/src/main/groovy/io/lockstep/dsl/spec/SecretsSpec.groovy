package io.lockstep.dsl.spec

import groovy.transform.CompileStatic
import io.lockstep.dsl.internal.CompileContext
import io.lockstep.dsl.internal.Pos

/**
 * The delegate of {@code secrets { }}: {@code dbPassword 'DEMO_DB_PASSWORD'} lets the playbook write
 * {@code secret('dbPassword')}; the reference is what the secret resolver is asked for at run time.
 */
@CompileStatic
class SecretsSpec extends DslReceiver {

    private final Map<String, String> secrets

    SecretsSpec(CompileContext ctx, Pos pos, Map<String, String> secrets) {
        super(ctx, pos)
        this.secrets = secrets
    }

    @Override
    void setProperty(String name, Object reference) {
        if (!(reference instanceof CharSequence) || !reference.toString()) {
            ctx.problem("secret '${name}' needs a reference name".toString(), "write: ${name} 'REFERENCE'".toString())
            return
        }
        secrets.put(name, reference.toString())
    }

    Object methodMissing(String name, Object args) {
        Object[] arguments = args instanceof Object[] ? (Object[]) args : [args] as Object[]
        if (arguments.length != 1 || !ctx.isInnermost(this)) {
            throw new MissingMethodException(name, SecretsSpec, arguments)
        }
        setProperty(name, arguments[0])
        null
    }
}
