package io.lockstep.dsl.spec

import groovy.transform.CompileStatic
import io.lockstep.dsl.internal.CompileContext
import io.lockstep.dsl.internal.Pos
import io.lockstep.dsl.internal.Suggestions

/**
 * The delegate of {@code phase('name') { }}, {@code preflight { }} and {@code verify { }}. With
 * {@code on: target('portal-1')} every step of the phase acts on that target, as the steps of a
 * rolling block act on theirs: a playbook for one host needs no rolling block of one.
 */
@CompileStatic
class PhaseSpec extends ContainerSpec {

    static final List<String> OPTIONS = ['on'].asImmutable()

    /** The target of the phase's steps, or {@code null}. */
    TargetView target

    PhaseSpec(CompileContext ctx, Pos pos, String name, String path) {
        super(ctx, pos, name, path, '')
    }

    void configure(Map<String, Object> options) {
        for (String key : options.keySet()) {
            if (!OPTIONS.contains(key)) {
                ctx.problem(pos, "unknown phase option '${key}'".toString(), Suggestions.hint(key, OPTIONS, 'a phase takes'))
            }
        }
        if (options.containsKey('on')) {
            target = single(options['on'])
        }
    }

    /** One target from {@code target('x')}, {@code 'x'} or a {@code targets(...)} list of one. */
    private TargetView single(Object on) {
        if (on == null) {
            return null  // target('unknown') has reported itself
        }
        if (on instanceof TargetView) {
            return (TargetView) on
        }
        if (on instanceof CharSequence) {
            return TargetView.named(ctx, on.toString())
        }
        if (on instanceof Collection && ((Collection<?>) on).size() == 1 && ((Collection<?>) on)[0] instanceof TargetView) {
            return (TargetView) ((Collection<?>) on)[0]
        }
        if (on instanceof Collection && ((Collection<?>) on).every { it instanceof TargetView }) {
            Collection<?> many = (Collection<?>) on
            ctx.problem(pos, "phase '${name}' runs on one target; on: gives ${many.size()}${many ? ' (' + many.join(', ') + ')' : ''}".toString(),
                    "name one with on: target('name'), or go over several with rolling('${name}', over: ...) { t -> }".toString())
            return null
        }
        ctx.problem(pos, "phase '${name}' on a ${on?.getClass()?.simpleName ?: 'null'}: expected a target".toString(),
                "write on: target('name')")
        null
    }
}
