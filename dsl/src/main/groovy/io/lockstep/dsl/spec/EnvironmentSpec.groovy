package io.lockstep.dsl.spec

import groovy.transform.CompileStatic
import io.lockstep.dsl.internal.CompileContext
import io.lockstep.dsl.internal.EnvironmentDef
import io.lockstep.dsl.internal.EnvironmentLoader
import io.lockstep.dsl.internal.Pos
import io.lockstep.engine.model.Target

/**
 * The delegate of {@code environment('name') { }}. A base named by {@code inherits} is loaded at
 * once; what this file declares overrides the base by name, wherever {@code inherits} is written.
 */
@CompileStatic
class EnvironmentSpec extends DslReceiver {

    final String name
    final Map<String, Object> vars = new LinkedHashMap<>()
    final Map<String, String> secrets = new LinkedHashMap<>()
    final Map<String, Target> targets = new LinkedHashMap<>()
    private final EnvironmentLoader loader
    private Pos inheritsPos

    EnvironmentSpec(CompileContext ctx, Pos pos, String name, EnvironmentLoader loader) {
        super(ctx, pos)
        this.name = name
        this.loader = loader
    }

    /** Inherits vars, secrets and targets from another environment file, relative to this one. */
    void inherits(String path) {
        if (!accepts('inherits')) {
            return
        }
        Pos at = ctx.here()
        if (inheritsPos != null) {
            ctx.problem(at, "inherits given twice (first at line ${inheritsPos.line})".toString(), 'an environment inherits from one base; the base may inherit in turn')
            return
        }
        inheritsPos = at
        EnvironmentDef base = loader.inherit(path, at)
        if (base == null) {
            return
        }
        Map<String, Object> ownVars = new LinkedHashMap<>(vars)
        Map<String, String> ownSecrets = new LinkedHashMap<>(secrets)
        Map<String, Target> ownTargets = new LinkedHashMap<>(targets)
        vars.clear()
        vars.putAll(base.vars)
        vars.putAll(ownVars)
        secrets.clear()
        secrets.putAll(base.secrets)
        secrets.putAll(ownSecrets)
        targets.clear()
        targets.putAll(base.targets)
        targets.putAll(ownTargets)
    }

    /** Variables: {@code vars { serviceDir = 'build/demo'; port = 18080 }}. */
    void vars(@DelegatesTo(value = VarsSpec, strategy = Closure.DELEGATE_FIRST) Closure<?> body) {
        if (!accepts('vars')) {
            return
        }
        ctx.evaluate(new VarsSpec(ctx, ctx.here(), vars), body)
    }

    /** Secret names and the references the secret resolver gets: {@code secrets { dbPassword 'DB_PASSWORD' }}. */
    void secrets(@DelegatesTo(value = SecretsSpec, strategy = Closure.DELEGATE_FIRST) Closure<?> body) {
        if (!accepts('secrets')) {
            return
        }
        ctx.evaluate(new SecretsSpec(ctx, ctx.here(), secrets), body)
    }

    /** Targets: {@code targets { target 'gw-1', roles: ['gateway'], host: '127.0.0.1' }}. */
    void targets(@DelegatesTo(value = TargetsSpec, strategy = Closure.DELEGATE_FIRST) Closure<?> body) {
        if (!accepts('targets')) {
            return
        }
        ctx.evaluate(new TargetsSpec(ctx, ctx.here(), targets), body)
    }

    EnvironmentDef toDef(List<byte[]> files) {
        new EnvironmentDef(name, vars, secrets, targets, files)
    }
}
