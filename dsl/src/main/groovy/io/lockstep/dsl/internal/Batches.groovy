package io.lockstep.dsl.internal

import groovy.transform.CompileStatic

/**
 * Rolling batch sizes with Ansible's {@code serial} semantics: each entry is a count or a share of
 * all targets, and the last entry repeats until every target is in a batch. A share rounds up
 * (25% of 9 targets is 3), so it never yields an empty batch.
 */
@CompileStatic
final class Batches {

    private static final String BATCH_HINT = "write each batch as a count such as 1 or a share such as '25%', for example batches: [1, '25%']"

    private Batches() {}

    /**
     * @param spec a count, a share or a list of them, as written
     * @throws DslError when an entry is neither
     */
    static List<Integer> sizes(Object spec, int total) {
        List<?> entries = spec instanceof List ? (List<?>) spec : [spec]
        if (entries.empty) {
            throw new DslError('batches must not be empty', BATCH_HINT)
        }
        List<Integer> perEntry = entries.collect { Object entry -> size(entry, total) }
        List<Integer> sizes = []
        int remaining = total
        int i = 0
        while (remaining > 0) {
            int size = Math.min(perEntry[Math.min(i, perEntry.size() - 1)], remaining)
            sizes << size
            remaining -= size
            i++
        }
        sizes
    }

    private static int size(Object entry, int total) {
        if (entry instanceof Integer || entry instanceof Long) {
            long count = ((Number) entry).longValue()
            if (count < 1) {
                throw new DslError("bad batch ${Values.quote(entry)}: a batch holds at least 1 target".toString(), BATCH_HINT)
            }
            return (int) Math.min(count, (long) Integer.MAX_VALUE)
        }
        Double percent = entry instanceof CharSequence ? percent(entry.toString()) : null
        if (percent == null || percent <= 0 || percent > 100) {
            throw new DslError("bad batch ${Values.quote(entry)}".toString(), BATCH_HINT)
        }
        Math.max(1, (int) Math.ceil(total * percent / 100.0d))
    }

    /**
     * The share of targets allowed to fail, from a count or a percentage.
     *
     * @throws DslError when it is neither, or more than all targets
     */
    static double failureShare(Object spec, int total) {
        if (spec == null) {
            return 0.0d
        }
        if (spec instanceof Integer || spec instanceof Long) {
            long count = ((Number) spec).longValue()
            if (count < 0) {
                throw new DslError("maxFailures ${count} is negative".toString(), "write a count such as 1 or a share such as '20%'")
            }
            if (count > total) {
                throw new DslError("maxFailures ${count} is more than the ${total} targets".toString(), "write a count up to ${total} or a share such as '20%'".toString())
            }
            return total == 0 ? 0.0d : count / (double) total
        }
        Double percent = spec instanceof CharSequence ? percent(spec.toString()) : null
        if (percent == null) {
            throw new DslError("bad maxFailures ${Values.quote(spec)}".toString(), "write a count such as 1 or a share such as '20%'")
        }
        if (percent > 100) {
            throw new DslError("maxFailures ${Values.quote(spec)} is over 100%".toString(), "write a share from '0%' to '100%'")
        }
        percent / 100.0d
    }

    /** {@code [1, '25%']}: the batches as written, for plans. */
    static String written(Object spec) {
        Values.quote(spec)
    }

    private static Double percent(String text) {
        def m = text.trim() =~ /^(\d+(?:\.\d+)?)\s*%$/
        m.matches() ? Double.valueOf(m.group(1)) : null
    }
}
