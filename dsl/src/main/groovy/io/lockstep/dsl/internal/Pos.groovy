package io.lockstep.dsl.internal

import groovy.transform.CompileStatic
import groovy.transform.EqualsAndHashCode

/** Where a DSL call is written: the file as the user named it, 1-based line and column. */
@CompileStatic
@EqualsAndHashCode
final class Pos {
    final String file
    final int line
    final int column

    Pos(String file, int line, int column) {
        this.file = file
        this.line = line
        this.column = column
    }

    @Override
    String toString() {
        "$file:$line:$column"
    }
}
