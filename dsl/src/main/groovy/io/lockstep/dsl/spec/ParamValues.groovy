package io.lockstep.dsl.spec

import groovy.transform.CompileStatic
import io.lockstep.dsl.internal.CompileContext
import io.lockstep.dsl.internal.Pos
import io.lockstep.dsl.internal.Suggestions
import io.lockstep.dsl.internal.Values

import java.util.regex.Pattern

/**
 * {@code params} in a playbook: declared parameters with their values. A value given as text is
 * converted to the declared type when the parameter is declared, so later lines read typed values.
 */
@CompileStatic
final class ParamValues {

    static final List<Class<?>> TYPES = [String, Boolean, Integer, Long].asImmutable() as List<Class<?>>
    static final List<String> OPTIONS = ['required', 'default', 'description'].asImmutable()
    private static final Pattern NAME = ~/[A-Za-z_][A-Za-z0-9_]*/

    private final CompileContext ctx
    private final Map<String, Pos> declared = new LinkedHashMap<>()
    private final Map<String, Object> values = new LinkedHashMap<>()

    ParamValues(CompileContext ctx) {
        this.ctx = ctx
    }

    @Override
    Object getProperty(String name) {
        value(name)
    }

    Object getAt(String name) {
        value(name)
    }

    /** Declared names. */
    Set<String> names() {
        Collections.unmodifiableSet(declared.keySet())
    }

    /** Values for the model: declared params that have one. */
    Map<String, Object> resolved() {
        Map<String, Object> result = new LinkedHashMap<>()
        values.each { k, v ->
            if (v != null) {
                result.put(k, v)
            }
        }
        result
    }

    private Object value(String name) {
        if (declared.containsKey(name)) {
            return values[name]
        }
        if (ctx.closed) {
            throw new MissingPropertyException(name, ParamValues)
        }
        ctx.problem("unknown param '${name}'".toString(),
                Suggestions.didYouMean(name, declared.keySet()) ?: "declare it first: param '${name}', String".toString())
        null
    }

    void declare(Pos at, String name, Class<?> declaredType, Map<String, Object> options) {
        Class<?> type = declaredType
        if (!NAME.matcher(name).matches()) {
            ctx.problem(at, "invalid param name '${name}'".toString(), 'param names are identifiers: letters, digits and _, not starting with a digit')
        }
        if (declared.containsKey(name)) {
            ctx.problem(at, "param '${name}' is declared twice (lines ${declared[name].line} and ${at.line})".toString(), 'remove one declaration')
            return
        }
        if (!TYPES.contains(type)) {
            ctx.problem(at, "param '${name}' has type ${type.simpleName}, which params do not support".toString(), 'use String, Boolean, Integer or Long')
            type = String
        }
        options.keySet().findAll { !OPTIONS.contains(it) }.each { String key ->
            ctx.problem(at, "unknown param option '${key}'".toString(), Suggestions.hint(key, OPTIONS, 'param takes'))
        }
        boolean required = options['required'] == true
        Object defaultValue = options['default']
        if (defaultValue instanceof GString) {
            defaultValue = defaultValue.toString()
        }
        if (defaultValue != null) {
            Object typed = typed(defaultValue, type)
            if (typed == null) {
                ctx.problem(at, "default of param '${name}' must be ${Values.typeName(type)}, got ${Values.quote(defaultValue)}".toString(), null)
            }
            defaultValue = typed
        }
        if (required && options.containsKey('default')) {
            ctx.problem(at, "param '${name}' is required and has a default".toString(), 'a required param needs no default; remove one of them')
        }
        declared.put(name, at)
        String given = ctx.givenParams[name]
        Object value = defaultValue
        if (given != null) {
            value = fromText(given, type)
            if (value == null) {
                ctx.problem(at, "param '${name}' must be ${Values.typeName(type)}, got '${given}'".toString(),
                        "pass it as -p ${name}=${example(type)}".toString())
            }
        } else if (required) {
            ctx.problem(at, "missing required param '${name}'".toString(), "pass it as -p ${name}=${example(type)}".toString())
        }
        values.put(name, value)
    }

    private static Object typed(Object value, Class<?> type) {
        if (type == Long && value instanceof Integer) {
            return ((Integer) value).longValue()
        }
        if (type == Integer && value instanceof Long && ((Long) value).intValue() == (Long) value) {
            return ((Long) value).intValue()
        }
        type.isInstance(value) ? value : null
    }

    private static Object fromText(String text, Class<?> type) {
        switch (type) {
            case Boolean:
                return text.equalsIgnoreCase('true') ? Boolean.TRUE : text.equalsIgnoreCase('false') ? Boolean.FALSE : null
            case Integer:
                return text.trim().isInteger() ? text.trim().toInteger() : null
            case Long:
                return text.trim().isLong() ? text.trim().toLong() : null
            default:
                return text
        }
    }

    private static String example(Class<?> type) {
        switch (type) {
            case Boolean: return 'true'
            case Integer: return '1'
            case Long: return '1'
            default: return '<value>'
        }
    }
}
