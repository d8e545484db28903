package io.lockstep.dsl.internal

import groovy.transform.CompileStatic
import io.lockstep.engine.model.Target

/** An environment after inheritance: what a playbook sees of it. */
@CompileStatic
final class EnvironmentDef {

    static final EnvironmentDef NONE = new EnvironmentDef('default', [:], [:], [:], [])

    final String name
    final Map<String, Object> vars
    /** Name used in playbooks to the reference given to the secret resolver. */
    final Map<String, String> secrets
    final Map<String, Target> targets
    /** The files read, base first, for the fingerprint. */
    final List<byte[]> files

    EnvironmentDef(String name, Map<String, Object> vars, Map<String, String> secrets, Map<String, Target> targets, List<byte[]> files) {
        this.name = name
        this.vars = Collections.unmodifiableMap(new LinkedHashMap<>(vars))
        this.secrets = Collections.unmodifiableMap(new LinkedHashMap<>(secrets))
        this.targets = Collections.unmodifiableMap(new LinkedHashMap<>(targets))
        this.files = List.copyOf(files)
    }

    /** Every role some target has, in declaration order. */
    Set<String> roles() {
        Set<String> roles = new LinkedHashSet<>()
        targets.values().each { Target t -> roles.addAll(rolesOf(t)) }
        roles
    }

    static List<String> rolesOf(Target target) {
        Object roles = target.attributes().get('roles')
        roles instanceof List ? ((List<?>) roles).collect { String.valueOf(it) } : []
    }
}
