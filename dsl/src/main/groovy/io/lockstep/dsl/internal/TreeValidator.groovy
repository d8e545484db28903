package io.lockstep.dsl.internal

import groovy.transform.CompileStatic
import io.lockstep.dsl.spec.ApprovalSpec
import io.lockstep.dsl.spec.BranchSpec
import io.lockstep.dsl.spec.CompensateSpec
import io.lockstep.dsl.spec.ContainerSpec
import io.lockstep.dsl.spec.NodeSpec
import io.lockstep.dsl.spec.ParallelSpec
import io.lockstep.dsl.spec.PhaseSpec
import io.lockstep.dsl.spec.PlaybookSpec
import io.lockstep.dsl.spec.RollingSpec
import io.lockstep.dsl.spec.RunStepSpec
import io.lockstep.dsl.spec.StepOptionsSpec
import io.lockstep.dsl.spec.StepSpec
import io.lockstep.engine.model.OutputRef
import io.lockstep.engine.model.RetryPolicy
import io.lockstep.engine.model.Template

import java.time.Duration
import java.util.regex.Pattern

/**
 * Checks the recorded tree as a whole: names, unique ids, arguments against step types, options,
 * rolling batches, given params. Fills in checked values the model builder uses.
 */
@CompileStatic
final class TreeValidator {

    static final String NAME_HINT = "names use letters, digits, '.', '_' and '-', and start with a letter or digit"
    private static final Pattern NAME = ~/[A-Za-z0-9][A-Za-z0-9._-]*/
    private static final List<String> RETRY_OPTIONS = ['attempts', 'delay', 'multiplier', 'maxDelay']

    private final CompileContext ctx
    private final ArgumentChecker arguments
    private final Map<String, NodeSpec> ids = [:]
    /** Step calls whose arguments name outputs of other steps; checked once every id is known. */
    private final List<StepSpec> referencing = []

    TreeValidator(CompileContext ctx) {
        this.ctx = ctx
        this.arguments = new ArgumentChecker(ctx)
    }

    static boolean validName(String name) {
        name != null && NAME.matcher(name).matches()
    }

    void validate(PlaybookSpec playbook) {
        name(playbook, 'playbook')
        ctx.givenParams.keySet().findAll { !ctx.params.names().contains(it) }.toSorted().each { String given ->
            ctx.problem(playbook.position(), "unknown param '${given}' given".toString(),
                    Suggestions.hint(given, ctx.params.names(), "params of playbook '${playbook.name}'".toString()))
        }
        if (playbook.children.empty && !playbook.failed) {
            ctx.problem(playbook.position(), "playbook '${playbook.name}' has no steps".toString(),
                    "add phases and steps, for example: preflight { command 'check', args: ['true'] }")
        }
        children(playbook)
        referencing.each { StepSpec s -> outputReferences(s) }
    }

    private void children(ContainerSpec container) {
        container.children.each { NodeSpec child -> node(child) }
    }

    private void node(NodeSpec node) {
        if (node instanceof StepSpec) {
            unique(node)
            name(node, 'step')
            step((StepSpec) node)
        } else if (node instanceof PhaseSpec || node instanceof BranchSpec) {
            String what = node instanceof PhaseSpec ? 'phase' : 'branch'
            unique(node)
            name(node, what)
            notEmpty((ContainerSpec) node, "${what} '${node.name}'".toString())
            children((ContainerSpec) node)
        } else if (node instanceof ParallelSpec) {
            parallel((ParallelSpec) node)
        } else if (node instanceof RollingSpec) {
            rolling((RollingSpec) node)
        } else if (node instanceof ApprovalSpec) {
            unique(node)
            name(node, 'approval')
            ApprovalSpec approval = (ApprovalSpec) node
            approval.options.keySet().findAll { it != 'prompt' }.each { String key ->
                ctx.problem(node.position(), "unknown approve option '${key}'".toString(), 'approve takes: prompt')
            }
        }
    }

    private void parallel(ParallelSpec parallel) {
        unique(parallel)
        name(parallel, 'parallel block')
        parallel.options.keySet().findAll { it != 'maxConcurrency' }.each { String key ->
            ctx.problem(parallel.position(), "unknown parallel option '${key}'".toString(), 'parallel takes: maxConcurrency')
        }
        Object max = parallel.options['maxConcurrency']
        if (max != null && !(max instanceof Integer && (Integer) max >= 0)) {
            ctx.problem(parallel.position(), "maxConcurrency must be a count of 0 or more, got ${Values.quote(max)}".toString(), '0 means all branches at once')
        }
        notEmpty(parallel, "parallel '${parallel.name}'".toString())
        children(parallel)
    }

    private void rolling(RollingSpec rolling) {
        unique(rolling)
        name(rolling, 'rolling block')
        if (!rolling.options.containsKey('over')) {
            ctx.problem(rolling.position(), "rolling '${rolling.name}' needs over: the targets to roll over".toString(), "write: ${Keywords.USAGE['rolling']}".toString())
            return
        }
        if (rolling.members.empty) {
            if (!ctx.evaluationFailed && !ctx.hasProblems()) {
                ctx.problem(rolling.position(), "rolling '${rolling.name}' has no targets".toString(), null)
            }
            return
        }
        int total = rolling.members.size()
        Object batches = rolling.options.containsKey('batches') ? rolling.options['batches'] : 1
        rolling.batchSpec = Batches.written(batches)
        try {
            rolling.batchSizes = Batches.sizes(batches, total)
        } catch (DslError e) {
            ctx.problem(rolling.position(), e.message, e.hint)
        }
        try {
            rolling.failureShare = Batches.failureShare(rolling.options['maxFailures'], total)
        } catch (DslError e) {
            ctx.problem(rolling.position(), e.message, e.hint)
        }
        Object parallel = rolling.options['parallel']
        if (parallel != null && !(parallel instanceof Boolean)) {
            ctx.problem(rolling.position(), "rolling option parallel must be true or false, got ${Values.quote(parallel)}".toString(), null)
        }
        rolling.members.each { RollingSpec.Member member ->
            notEmpty(member.body, "rolling '${rolling.name}'".toString())
            children(member.body)
        }
    }

    private void step(StepSpec step) {
        referencing << step
        if (step.type != null) {
            step.checked = arguments.check(step.type, step.arguments, step.position())
        }
        StepOptionsSpec options = step.options
        if (options == null) {
            return
        }
        if (options instanceof RunStepSpec) {
            int runs = ((RunStepSpec) options).runs.size()
            if (runs != 1) {
                ctx.problem(step.position(), runs == 0 ? "step '${step.name}' has no run { } action".toString() : "step '${step.name}' has ${runs} run { } actions".toString(),
                        "write: ${Keywords.USAGE['step']}".toString())
            }
        }
        if (options.compensations.size() > 1) {
            ctx.problem(options.compensations[1].position(), "compensate given twice for step '${step.name}'".toString(), 'a step has one compensation')
        }
        if (!options.compensations.empty && options.irreversibleReason != null) {
            Pos later = [options.compensations[0].position(), options.irreversiblePos].max { Pos p -> p.line * 10000 + p.column }
            ctx.problem(later, "step '${step.name}' has both compensate and irreversible".toString(),
                    'keep one: compensate says how to undo the step, irreversible says it cannot be undone')
        }
        options.compensations.each { CompensateSpec c -> compensation(c) }
        if (options.retryOptions != null) {
            options.retryPolicy = retry(options.retryOptions, options.retryPos)
        }
        if (options.timeoutValue != null) {
            positive(options.timeoutValue, options.timeoutPos, 'timeout')
        }
    }

    private void compensation(CompensateSpec compensation) {
        int count = compensation.steps.size() + compensation.runs.size()
        if (count != 1) {
            ctx.problem(compensation.position(), count == 0 ? 'compensate { } is empty'
                    : "compensate { } must hold exactly one step call or run { }, found ${count}".toString(),
                    "write: ${Keywords.USAGE['compensate']}".toString())
        }
        compensation.steps.each { StepSpec s ->
            s.checked = arguments.check(s.type, s.arguments, s.position())
            referencing << s
        }
        if (compensation.retryOptions != null) {
            compensation.retryPolicy = retry(compensation.retryOptions, compensation.retryPos)
        }
    }

    private RetryPolicy retry(Map<String, Object> options, Pos at) {
        options.keySet().findAll { !RETRY_OPTIONS.contains(it) }.each { String key ->
            ctx.problem(at, "unknown retry option '${key}'".toString(), Suggestions.hint(key, RETRY_OPTIONS, 'retry takes'))
        }
        Object attempts = options['attempts']
        if (!(attempts instanceof Integer) || (Integer) attempts < 1) {
            ctx.problem(at, "retry attempts must be a count of 1 or more, got ${Values.quote(attempts)}".toString(), "write: ${Keywords.USAGE['retry']}".toString())
            return null
        }
        Duration delay = options.containsKey('delay') ? positive(options['delay'], at, 'retry delay') : Duration.ofSeconds(1)
        Object multiplier = options.containsKey('multiplier') ? options['multiplier'] : 2
        if (!(multiplier instanceof Number) || ((Number) multiplier).doubleValue() < 1.0d) {
            ctx.problem(at, "retry multiplier must be a number of at least 1, got ${Values.quote(multiplier)}".toString(), null)
            return null
        }
        Duration maxDelay = options.containsKey('maxDelay') ? positive(options['maxDelay'], at, 'retry maxDelay') : delay?.multipliedBy(16)
        if (delay == null || maxDelay == null) {
            return null
        }
        new RetryPolicy((Integer) attempts, delay, ((Number) multiplier).doubleValue(), maxDelay)
    }

    private Duration positive(Object value, Pos at, String what) {
        try {
            Duration duration = Values.duration(value)
            if (duration.zero) {
                ctx.problem(at, "${what} must be longer than zero".toString(), null)
                return null
            }
            return duration
        } catch (DslError e) {
            ctx.problem(at, "${what}: ${e.message}".toString(), e.hint)
            return null
        }
    }

    private void outputReferences(StepSpec step) {
        references(step.arguments).each { OutputRef ref ->
            NodeSpec target = ids[ref.stepId()]
            if (!(target instanceof StepSpec)) {
                List<String> stepIds = ids.findAll { k, v -> v instanceof StepSpec }.keySet().toList()
                ctx.problem(step.position(), "output('${ref.stepId()}', '${ref.key()}'): no step has the id '${ref.stepId()}'".toString(),
                        Suggestions.hint(ref.stepId(), stepIds, 'step ids'))
            }
        }
    }

    private static List<OutputRef> references(Object value) {
        if (value instanceof OutputRef) {
            return [(OutputRef) value]
        }
        if (value instanceof GString) {
            return ((GString) value).values.toList().collectMany { references(it) }
        }
        if (value instanceof Template) {
            return ((Template) value).parts().collectMany { references(it) }
        }
        if (value instanceof Map) {
            return ((Map<?, ?>) value).values().collectMany { references(it) }
        }
        if (value instanceof List) {
            return ((List<?>) value).collectMany { references(it) }
        }
        []
    }

    private void notEmpty(ContainerSpec container, String what) {
        if (container.children.empty && !container.failed) {
            ctx.problem(container.position(), "${what} is empty".toString(), 'add a step, or remove the block')
        }
    }

    private void name(NodeSpec node, String what) {
        if (node.name != null && !validName(node.name)) {
            ctx.problem(node.position(), "invalid ${what} name '${node.name}'".toString(), NAME_HINT)
        }
    }

    private void unique(NodeSpec node) {
        NodeSpec first = ids.putIfAbsent(node.id(), node)
        if (first != null) {
            ctx.problem(node.position(), "duplicate id '${node.path}' at lines ${first.position().line} and ${node.position().line}".toString(),
                    'give one of them another name')
        }
    }
}
