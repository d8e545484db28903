package io.lockstep.dsl.internal

import groovy.transform.CompileStatic
import io.lockstep.engine.spi.ArgSpec
import io.lockstep.engine.spi.StepType

import java.time.Duration

/** Checks a step call's named arguments against its type's {@link ArgSpec}s and converts them. */
@CompileStatic
final class ArgumentChecker {

    private final CompileContext ctx

    ArgumentChecker(CompileContext ctx) {
        this.ctx = ctx
    }

    /** The converted arguments with defaults filled in; problems are recorded at {@code pos}. */
    Map<String, Object> check(StepType type, Map<String, Object> given, Pos pos) {
        Map<String, ArgSpec> specs = new LinkedHashMap<>()
        type.arguments().each { ArgSpec spec -> specs.put(spec.name(), spec) }
        Map<String, Object> result = new LinkedHashMap<>()
        // An optional argument given as null is not given: `url: manager == 'dpkg' ? file : null`
        // leaves it out, and its default applies. A required one stays and is reported.
        given = given.findAll { String name, Object value -> value != null || specs[name] == null || specs[name].required() }
        given.each { String name, Object value ->
            ArgSpec spec = specs[name]
            if (spec == null) {
                ctx.problem(pos, "unknown argument '${name}' for ${type.name()}".toString(),
                        Suggestions.hint(name, specs.keySet(), "${type.name()} takes".toString()))
                return
            }
            try {
                result.put(name, convert(value, spec.type()))
            } catch (DslError e) {
                ctx.problem(pos, "argument '${name}' of ${type.name()}: ${e.message}".toString(), e.hint)
            } catch (Mismatch ignored) {
                ctx.problem(pos, "argument '${name}' of ${type.name()} must be ${Values.typeName(spec.type())}, got ${describe(value)}".toString(),
                        spec.description())
            }
        }
        specs.values().each { ArgSpec spec ->
            if (given.containsKey(spec.name())) {
                return
            }
            if (spec.required()) {
                ctx.problem(pos, "missing required argument '${spec.name()}' for ${type.name()}".toString(),
                        "add ${spec.name()}: <${Values.typeName(spec.type()).replaceFirst(/^an? /, '')}>${spec.description() ? ' (' + spec.description() + ')' : ''}".toString())
            } else if (spec.defaultValue() != null) {
                result.put(spec.name(), spec.defaultValue())
            }
        }
        result
    }

    private static String describe(Object value) {
        value == null ? 'null' : "${value.getClass().simpleName} ${Values.quote(value)}".toString()
    }

    /** @throws Mismatch when the value has the wrong type; DslError for a malformed duration */
    static Object convert(Object value, Class<?> type) {
        if (value == null) {
            throw new Mismatch()
        }
        switch (type) {
            case String:
                if (Values.isText(value)) {
                    return Values.plain(value)
                }
                throw new Mismatch()
            case Integer:
                if (value instanceof Integer) {
                    return value
                }
                if ((value instanceof Long || value instanceof BigInteger) && ((Number) value).longValue() == ((Number) value).intValue()) {
                    return ((Number) value).intValue()
                }
                throw new Mismatch()
            case Long:
                if (value instanceof Integer || value instanceof Long || value instanceof BigInteger) {
                    return ((Number) value).longValue()
                }
                throw new Mismatch()
            case Double:
                if (value instanceof Number) {
                    return ((Number) value).doubleValue()
                }
                throw new Mismatch()
            case Boolean:
                if (value instanceof Boolean) {
                    return value
                }
                throw new Mismatch()
            case Duration:
                if (value instanceof Duration || value instanceof CharSequence) {
                    return Values.duration(value)
                }
                throw new Mismatch()
            case List:
                if (value instanceof List) {
                    return Values.plain(value)
                }
                throw new Mismatch()
            case Map:
                if (value instanceof Map) {
                    return Values.plain(value)
                }
                throw new Mismatch()
            case Object:
                return Values.plain(value)
            default:
                Object plain = Values.plain(value)
                if (type.isInstance(plain)) {
                    return plain
                }
                throw new Mismatch()
        }
    }

    /** A value of the wrong type (the caller knows the argument's name). */
    static final class Mismatch extends RuntimeException {
        Mismatch() {
            super(null, null, false, false)
        }
    }
}
