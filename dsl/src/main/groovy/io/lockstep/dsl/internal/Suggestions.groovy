package io.lockstep.dsl.internal

import groovy.transform.CompileStatic

/** "did you mean" hints: the closest known name by edit distance, when it is close enough. */
@CompileStatic
final class Suggestions {

    private Suggestions() {}

    /** {@code did you mean 'x'?}, or {@code null} when no candidate is close. */
    static String didYouMean(String name, Collection<String> candidates) {
        String best = closest(name, candidates)
        best == null ? null : "did you mean '${best}'?".toString()
    }

    /** {@link #didYouMean}, else a list of what is known under {@code label}. */
    static String hint(String name, Collection<String> candidates, String label) {
        String suggestion = didYouMean(name, candidates)
        if (suggestion != null) {
            return suggestion
        }
        candidates.empty ? "there are no ${label}".toString() : "${label}: ${candidates.toSorted().join(', ')}".toString()
    }

    static String closest(String name, Collection<String> candidates) {
        String best = null
        int bestDistance = Integer.MAX_VALUE
        for (String candidate : candidates) {
            int distance = candidate.equalsIgnoreCase(name) ? 0 : distance(name, candidate)
            if (distance < bestDistance) {
                best = candidate
                bestDistance = distance
            }
        }
        int allowed = Math.max(2, name.length().intdiv(3) as int)
        best != null && bestDistance <= allowed && best != name ? best : null
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1]
        int[] current = new int[b.length() + 1]
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost)
            }
            int[] swap = previous
            previous = current
            current = swap
        }
        previous[b.length()]
    }
}
