package io.lockstep.dsl.internal

import groovy.transform.CompileStatic

import java.util.function.Supplier

/**
 * The position of the DSL call about to run. {@link PositionCustomizer} rewrites every implicit-this
 * call so that its last argument passes through {@link #mark(int, int, Object)}: the mark is set
 * after all other arguments were evaluated (they may contain calls of their own) and right before
 * the call itself, so the called DSL method reads its own line and column.
 */
@CompileStatic
final class SourceMarks {

    private static final ThreadLocal<int[]> MARK = ThreadLocal.withInitial({ new int[2] } as Supplier<int[]>)

    private SourceMarks() {}

    static Object mark(int line, int column, Object value) {
        int[] mark = MARK.get()
        mark[0] = line
        mark[1] = column
        return value
    }

    static Object mark(int line, int column) {
        mark(line, column, null)
    }

    /** Evaluates to {@code value}; the first argument only exists to be evaluated before it. */
    static Object last(Object ignored, Object value) {
        value
    }

    static int line() {
        MARK.get()[0]
    }

    static int column() {
        MARK.get()[1]
    }

    static void reset() {
        MARK.remove()
    }
}
