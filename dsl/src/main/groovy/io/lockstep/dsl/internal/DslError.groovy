package io.lockstep.dsl.internal

import groovy.transform.CompileStatic

/**
 * A user mistake found while a script runs that makes going on pointless; caught at the nearest
 * closure boundary and turned into a problem. Carries no stack trace: it is never shown as one.
 */
@CompileStatic
final class DslError extends RuntimeException {
    final String hint
    final Pos pos

    DslError(String message, String hint = null, Pos pos = null) {
        super(message, null, false, false)
        this.hint = hint
        this.pos = pos
    }
}
