package io.lockstep.dsl.spec

import groovy.transform.CompileStatic
import io.lockstep.dsl.internal.CompileContext
import io.lockstep.dsl.internal.Pos

/**
 * The delegate of {@code playbook('name') { ... }}: description, params, phases and steps.
 */
@CompileStatic
class PlaybookSpec extends ContainerSpec {

    String text

    PlaybookSpec(CompileContext ctx, Pos pos, String name) {
        super(ctx, pos, name, '', '')
    }

    /** One line saying what the playbook does. */
    void description(String text) {
        if (!accepts('description')) {
            return
        }
        this.text = text
    }

    /**
     * A parameter: {@code param 'version', String, required: true, description: 'release'}. Types:
     * String, Boolean, Integer, Long. Values given as text (command line) are converted.
     */
    void param(Map<String, Object> options, String name, Class<?> type) {
        if (!accepts('param')) {
            return
        }
        ctx.params.declare(ctx.here(), name, type, options)
    }

    void param(String name, Class<?> type) {
        param([:], name, type)
    }

    void param(Map<String, Object> options, String name) {
        param(options, name, String)
    }

    void param(String name) {
        param([:], name, String)
    }

    /** The phase with id {@code preflight}: checks that change nothing. */
    void preflight(@DelegatesTo(value = PhaseSpec, strategy = Closure.DELEGATE_FIRST) Closure<?> body) {
        preflight([:], body)
    }

    /** {@code preflight(on: target('portal-1')) { }}: its steps act on that target. */
    void preflight(Map<String, Object> options,
                   @DelegatesTo(value = PhaseSpec, strategy = Closure.DELEGATE_FIRST) Closure<?> body) {
        if (accepts('preflight')) {
            addPhase('preflight', options, body)
        }
    }

    /** The phase with id {@code verify}: checks after the change. */
    void verify(@DelegatesTo(value = PhaseSpec, strategy = Closure.DELEGATE_FIRST) Closure<?> body) {
        verify([:], body)
    }

    /** {@code verify(on: target('portal-1')) { }}: its steps act on that target. */
    void verify(Map<String, Object> options,
                @DelegatesTo(value = PhaseSpec, strategy = Closure.DELEGATE_FIRST) Closure<?> body) {
        if (accepts('verify')) {
            addPhase('verify', options, body)
        }
    }

    /** A named phase: {@code phase('upgrade') { ... }}. */
    void phase(String name, @DelegatesTo(value = PhaseSpec, strategy = Closure.DELEGATE_FIRST) Closure<?> body) {
        phase([:], name, body)
    }

    /** {@code phase('upgrade', on: target('portal-1')) { }}: its steps act on that target. */
    void phase(Map<String, Object> options, String name,
               @DelegatesTo(value = PhaseSpec, strategy = Closure.DELEGATE_FIRST) Closure<?> body) {
        if (accepts('phase')) {
            addPhase(name, options, body)
        }
    }

    private void addPhase(String name, Map<String, Object> options,
                          @DelegatesTo(value = PhaseSpec, strategy = Closure.DELEGATE_FIRST) Closure<?> body) {
        PhaseSpec phase = new PhaseSpec(ctx, ctx.here(), name, childPath(name))
        phase.configure(options)
        children << phase
        ctx.evaluate(phase, body)
    }
}
