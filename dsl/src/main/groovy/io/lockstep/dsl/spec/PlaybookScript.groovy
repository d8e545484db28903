package io.lockstep.dsl.spec

import groovy.transform.CompileStatic
import io.lockstep.dsl.internal.Pos
import io.lockstep.dsl.internal.Suggestions
import io.lockstep.engine.model.OutputRef
import io.lockstep.engine.model.SecretRef
import io.lockstep.engine.model.Target

/**
 * Base class of playbook scripts: {@code playbook('name') { }} and what every block inside may
 * read ({@code params}, {@code vars}, {@code env}, {@code secret()}, {@code targets()},
 * {@code targets(role: 'x', attribute: value)}, {@code target()}).
 */
@CompileStatic
abstract class PlaybookScript extends DslScript {

    private PlaybookSpec lockstepPlaybook

    @Override
    protected boolean isEnvironmentScript() {
        false
    }

    /** The playbook this script declared, or {@code null}. */
    PlaybookSpec declaredPlaybook() {
        lockstepPlaybook
    }

    /** Declares the playbook: {@code playbook('demo-service') { description '...'; phase('x') { } }}. */
    void playbook(String name, @DelegatesTo(value = PlaybookSpec, strategy = Closure.DELEGATE_FIRST) Closure<?> body) {
        Pos at = lockstepContext.here()
        if (lockstepContext.top() != null) {
            lockstepContext.problem(at, 'playbook blocks cannot be nested', 'a file holds one playbook block at its top level')
            return
        }
        if (lockstepPlaybook != null) {
            lockstepContext.problem(at, "a second playbook block (the first is at line ${lockstepPlaybook.position().line})".toString(),
                    'a file holds one playbook')
            return
        }
        lockstepPlaybook = new PlaybookSpec(lockstepContext, at, name)
        lockstepContext.evaluate(lockstepPlaybook, body)
    }

    /** Declared parameters: {@code params.version}. */
    ParamValues getParams() {
        lockstepContext.params
    }

    /** The environment's variables: {@code vars.serviceDir}. */
    VarValues getVars() {
        new VarValues(lockstepContext)
    }

    /** The environment: {@code env.name}. */
    EnvView getEnv() {
        new EnvView(lockstepContext)
    }

    /**
     * A secret declared in the environment's {@code secrets { }}; its value is resolved only when a
     * step runs. Inside a GString it makes a template: {@code "postgres://app:${secret('db')}@db/app"}.
     */
    SecretRef secret(String name) {
        Map<String, String> secrets = lockstepContext.environment.secrets
        String reference = secrets[name]
        if (reference == null && !lockstepContext.closed) {
            lockstepContext.problem("undeclared secret '${name}'".toString(),
                    Suggestions.didYouMean(name, secrets.keySet())
                            ?: "declare it in the environment: secrets { ${name} 'REFERENCE' }".toString())
        }
        new SecretRef(reference ?: name)
    }

    /**
     * An output of an earlier step, read when a step runs (from the journal, so also after a
     * resume): {@code expectBody: "^${output('preflight/version', 'body')}\$"}. The step id is
     * checked when the playbook loads.
     */
    OutputRef output(String stepId, String key) {
        new OutputRef(stepId, key)
    }

    /** Every target of the environment, in declaration order. */
    List<TargetView> targets() {
        lockstepContext.environment.targets.values().collect { Target t -> new TargetView(lockstepContext, t) }
    }

    /**
     * Targets with a role and with attribute values, in declaration order: {@code targets(role: 'gateway')},
     * {@code targets(role: 'gateway', dc: 'worker-a')}, {@code targets(dc: 'control')}. Every entry must
     * hold: the target has the role, and the attribute with that value (compared as text, so
     * {@code port: 2201} and {@code dc: "${name}"} match). A role no target has and an attribute no
     * target has are problems; a value no target has selects nothing.
     */
    List<TargetView> targets(Map<String, Object> filter) {
        List<TargetView> all = targets()
        Set<String> attributes = new LinkedHashSet<>()
        all.each { TargetView t -> attributes.addAll(t.unwrap().attributes().keySet().findAll { it != 'roles' }) }
        boolean known = true
        filter.keySet().findAll { it != 'role' && !attributes.contains(it) }.each { String key ->
            known = false
            lockstepContext.problem("unknown targets() filter '${key}'".toString(),
                    key == 'roles' ? "filter by one role: targets(role: 'web')"
                            : Suggestions.hint(key, ['role'] + (attributes as List<String>),
                            "targets() filters by role and by the targets' attributes".toString()))
        }
        if (filter.containsKey('role')) {
            String role = String.valueOf(filter['role'])
            Set<String> roles = lockstepContext.environment.roles()
            if (!roles.contains(role)) {
                lockstepContext.problem("unknown role '${role}'".toString(),
                        Suggestions.hint(role, roles, "roles in environment '${lockstepContext.environment.name}'".toString()))
                return []
            }
        }
        if (!known) {
            return []
        }
        all.findAll { TargetView t -> filter.every { String key, Object value -> matches(t, key, value) } }
    }

    private static boolean matches(TargetView t, String key, Object value) {
        if (key == 'role') {
            return ((List) t.getProperty('roles')).contains(String.valueOf(value))
        }
        Map<String, Object> attributes = t.unwrap().attributes()
        attributes.containsKey(key) && String.valueOf(attributes[key]) == String.valueOf(value)
    }

    /** One target by name: {@code target('gw-1')}. */
    TargetView target(String name) {
        TargetView.named(lockstepContext, name)
    }
}
