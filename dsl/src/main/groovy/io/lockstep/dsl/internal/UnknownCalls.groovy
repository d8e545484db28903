package io.lockstep.dsl.internal

import groovy.transform.CompileStatic
import io.lockstep.dsl.spec.CompensateSpec
import io.lockstep.dsl.spec.ContainerSpec
import io.lockstep.dsl.spec.StepOptionsSpec
import org.codehaus.groovy.runtime.InvokerHelper

/**
 * Explains a call that nothing in scope understands, according to the block it is written in:
 * an unknown step type, a keyword in the wrong place, wrong arguments for a keyword.
 */
@CompileStatic
final class UnknownCalls {

    private static final List<String> OPTIONS = ['compensate', 'irreversible', 'probe', 'idempotent', 'retry', 'timeout', 'dataLoss', 'label']
    private static final List<String> CONTAINER_WORDS = ['step', 'onRollback', 'parallel', 'rolling', 'approve', 'phase', 'preflight', 'verify', 'branch']
    private static final List<String> ENVIRONMENT_WORDS = ['inherits', 'vars', 'secrets', 'targets']

    private UnknownCalls() {}

    static void report(CompileContext ctx, String name, Object[] args, boolean environmentFile) {
        Object top = ctx.top()
        String usage = Keywords.USAGE[name]
        if (top != null && !InvokerHelper.getMetaClass(top).respondsTo(top, name).empty) {
            ctx.problem("wrong arguments for ${name}".toString(), usage ? "write: ${usage}".toString() : null)
            return
        }
        boolean stepType = ctx.types.find(name).present
        if (top == null) {
            topLevel(ctx, name, stepType, environmentFile)
        } else if (top instanceof ContainerSpec || top instanceof CompensateSpec) {
            if (Keywords.PLACE.containsKey(name)) {
                ctx.problem("${name} is not allowed here".toString(), "write it ${Keywords.PLACE[name]}".toString())
            } else {
                ctx.problem("unknown step type '${name}'".toString(), Suggestions.hint(name, ctx.types.names() + CONTAINER_WORDS, 'step types'))
            }
        } else if (top instanceof StepOptionsSpec) {
            if (Keywords.PLACE.containsKey(name) || stepType) {
                ctx.problem("${name} is not allowed in a step's options".toString(),
                        "step options are: ${OPTIONS.join(', ')}${Keywords.PLACE[name] ? '; write ' + name + ' ' + Keywords.PLACE[name] : ''}".toString())
            } else {
                ctx.problem("unknown step option '${name}'".toString(), Suggestions.hint(name, OPTIONS, 'step options'))
            }
        } else {
            ctx.problem("unknown environment setting '${name}'".toString(), Suggestions.hint(name, ENVIRONMENT_WORDS, 'an environment has'))
        }
    }

    private static void topLevel(CompileContext ctx, String name, boolean stepType, boolean environmentFile) {
        if (environmentFile) {
            if (name == 'playbook') {
                ctx.problem('not an environment file: it declares a playbook', "pass an environment file: environment('name') { ... }")
            } else {
                ctx.problem("unknown method '${name}' in an environment file".toString(),
                        Suggestions.didYouMean(name, ['environment']) ?: "an environment file holds environment('name') { ... }")
            }
        } else if (name == 'environment') {
            ctx.problem('an environment block in a playbook file', 'environments live in their own file, passed next to the playbook')
        } else if (stepType) {
            ctx.problem("step ${name} is outside playbook('name') { }".toString(), 'move it into the playbook block')
        } else if (Keywords.PLACE.containsKey(name)) {
            ctx.problem("${name} is outside playbook('name') { }".toString(), "write it ${Keywords.PLACE[name]}".toString())
        } else {
            ctx.problem("unknown method '${name}'".toString(), Suggestions.didYouMean(name, ['playbook']) ?: "a playbook file holds playbook('name') { ... }")
        }
    }
}
