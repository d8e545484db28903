package io.lockstep.dsl.spec

import groovy.transform.CompileStatic
import io.lockstep.dsl.internal.CompileContext
import io.lockstep.dsl.internal.Pos
import io.lockstep.dsl.internal.Suggestions

/**
 * A recorded {@code rolling('name', over: ..., batches: [1, '25%'], maxFailures: '20%') { t -> }}:
 * the body is evaluated once per target at load time, so every step is known before anything runs.
 */
@CompileStatic
class RollingSpec extends NodeSpec {

    static final List<String> OPTIONS = ['over', 'batches', 'maxFailures', 'parallel'].asImmutable()

    final Map<String, Object> options
    final List<Member> members = []
    /** Set by the validator. */
    List<Integer> batchSizes = []
    double failureShare
    String batchSpec

    RollingSpec(CompileContext ctx, Pos pos, String name, String path, String suffix, Map<String, Object> options) {
        super(ctx, pos, name, path, suffix)
        this.options = options
    }

    void expand(@DelegatesTo(value = RollingBodySpec, strategy = Closure.DELEGATE_FIRST) Closure<?> body) {
        options.keySet().findAll { !OPTIONS.contains(it) }.each { String key ->
            ctx.problem(pos, "unknown rolling option '${key}'".toString(), Suggestions.hint(key, OPTIONS, 'rolling takes'))
        }
        if (suffix) {
            ctx.problem(pos, 'rolling blocks cannot be nested', 'roll over the targets in one block')
            return
        }
        Object over = options['over']
        List<?> given = over instanceof Collection ? new ArrayList<Object>((Collection<?>) over) : over == null ? [] : [over]
        Set<String> names = new HashSet<>()
        for (Object item : given) {
            TargetView target = item instanceof TargetView ? (TargetView) item
                    : item instanceof CharSequence ? TargetView.named(ctx, item.toString()) : null
            if (item != null && target == null) {
                ctx.problem(pos, "rolling '${name}' over a ${item.getClass().simpleName}: expected targets".toString(),
                        "write over: targets(role: 'web') or over: [target('a'), target('b')]")
            }
            if (target == null || !names.add(target.unwrap().name())) {
                continue
            }
            RollingBodySpec member = new RollingBodySpec(ctx, pos, name, path, "@${target.unwrap().name()}".toString())
            members << new Member(target, member)
            ctx.evaluate(member, body, target)
        }
    }

    /** One target and the body recorded for it. */
    @CompileStatic
    static final class Member {
        final TargetView target
        final RollingBodySpec body

        Member(TargetView target, RollingBodySpec body) {
            this.target = target
            this.body = body
        }
    }
}
