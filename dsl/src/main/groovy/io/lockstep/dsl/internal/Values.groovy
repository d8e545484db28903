package io.lockstep.dsl.internal

import groovy.transform.CompileStatic
import io.lockstep.dsl.spec.TargetView
import io.lockstep.engine.model.OutputRef
import io.lockstep.engine.model.SecretRef
import io.lockstep.engine.model.Template

import java.time.Duration
import java.util.regex.Matcher
import java.util.regex.Pattern

/** Turns Groovy values into model values: plain strings, templates for secrets, durations. */
@CompileStatic
final class Values {

    private static final Pattern DURATION = ~/(\d+)(ms|s|m|h|d)/
    private static final Pattern DURATIONS = ~/(\d+(ms|s|m|h|d))+/

    private Values() {}

    /**
     * Strings stay strings; a GString becomes a String, or a {@link Template} when it contains a
     * secret or an output reference; targets become engine targets; lists and maps are converted element by element.
     */
    static Object plain(Object value) {
        if (value instanceof GString) {
            return gstring((GString) value)
        }
        if (value instanceof TargetView) {
            return ((TargetView) value).unwrap()
        }
        if (value instanceof Map) {
            Map<String, Object> map = new LinkedHashMap<>()
            ((Map<?, ?>) value).each { k, v -> map.put(String.valueOf(k), plain(v)) }
            return map
        }
        if (value instanceof List) {
            return ((List<?>) value).collect { plain(it) }
        }
        value
    }

    /** Outputs returned by a closure: a map of plain values, anything else counts as none. */
    static Map<String, Object> outputs(Object result) {
        result instanceof Map ? (Map<String, Object>) plain(result) : [:]
    }

    static boolean isText(Object value) {
        value instanceof CharSequence || value instanceof SecretRef || value instanceof OutputRef || value instanceof Template
    }

    private static Object gstring(GString text) {
        if (!text.values.any { it instanceof SecretRef || it instanceof OutputRef || it instanceof Template }) {
            return text.toString()
        }
        List<Object> parts = []
        StringBuilder pending = new StringBuilder()
        Closure flush = {
            if (pending.length() > 0) {
                parts << pending.toString()
                pending.setLength(0)
            }
        }
        text.strings.eachWithIndex { String s, int i ->
            pending.append(s)
            if (i < text.values.length) {
                Object v = text.values[i]
                if (v instanceof SecretRef || v instanceof OutputRef) {
                    flush()
                    parts << v
                } else if (v instanceof Template) {
                    flush()
                    parts.addAll(((Template) v).parts())
                } else {
                    pending.append(String.valueOf(plain(v)))
                }
            }
        }
        flush()
        new Template(parts)
    }

    /**
     * A duration written {@code '500ms'}, {@code '30s'}, {@code '2m'}, {@code '1h'}, {@code '1d'} or
     * combined ({@code '1m30s'}), or a {@link Duration}.
     *
     * @throws DslError when the text is not a duration
     */
    static Duration duration(Object value) {
        if (value instanceof Duration) {
            return (Duration) value
        }
        String text = value instanceof CharSequence ? value.toString().trim() : null
        if (text == null || !DURATIONS.matcher(text).matches()) {
            throw new DslError("bad duration ${quote(value)}".toString(),
                    "write a number and a unit, such as '500ms', '30s', '2m' or '1h'")
        }
        Duration total = Duration.ZERO
        Matcher m = DURATION.matcher(text)
        while (m.find()) {
            long n = Long.parseLong(m.group(1))
            switch (m.group(2)) {
                case 'ms': total = total.plusMillis(n); break
                case 's': total = total.plusSeconds(n); break
                case 'm': total = total.plusMinutes(n); break
                case 'h': total = total.plusHours(n); break
                default: total = total.plusDays(n)
            }
        }
        total
    }

    /** A value as written in a playbook, for messages. */
    static String quote(Object value) {
        if (value == null) {
            return 'null'
        }
        if (value instanceof CharSequence) {
            return "'${value}'"
        }
        if (value instanceof List) {
            return '[' + ((List<?>) value).collect { quote(it) }.join(', ') + ']'
        }
        String.valueOf(value)
    }

    /** "an Integer", "a String": how a Java type is named in messages. */
    static String typeName(Class<?> type) {
        switch (type) {
            case String: return 'a String'
            case Integer: return 'an Integer'
            case Long: return 'an Integer'
            case Boolean: return 'a Boolean (true or false)'
            case Duration: return "a duration such as '30s'"
            case List: return 'a list'
            case Map: return 'a map'
            case Double: return 'a number'
            default: return "a ${type.simpleName}"
        }
    }
}
