package io.lockstep.dsl.internal

import groovy.transform.CompileStatic
import io.lockstep.dsl.internal.CompilerBackend.Input
import io.lockstep.dsl.spec.ApprovalSpec
import io.lockstep.dsl.spec.BranchSpec
import io.lockstep.dsl.spec.CompensateSpec
import io.lockstep.dsl.spec.NodeSpec
import io.lockstep.dsl.spec.ParallelSpec
import io.lockstep.dsl.spec.PhaseSpec
import io.lockstep.dsl.spec.PlaybookSpec
import io.lockstep.dsl.spec.RollingSpec
import io.lockstep.dsl.spec.ContainerSpec
import io.lockstep.dsl.spec.RunStepSpec
import io.lockstep.dsl.spec.StepOptionsSpec
import io.lockstep.dsl.spec.StepSpec
import io.lockstep.engine.model.ApprovalGate
import io.lockstep.engine.model.Compensation
import io.lockstep.engine.model.Group
import io.lockstep.engine.model.Node
import io.lockstep.engine.model.Parallel
import io.lockstep.engine.model.Playbook
import io.lockstep.engine.model.RetryPolicy
import io.lockstep.engine.model.Rolling
import io.lockstep.engine.model.Step
import io.lockstep.engine.model.Target

import java.nio.file.Path

/** Builds the engine's immutable model from a validated tree. */
@CompileStatic
final class ModelBuilder {

    private static final Step PLACEHOLDER = Step.builder('invalid', { [:] } as io.lockstep.engine.model.Action).build()

    private final CompileContext ctx

    ModelBuilder(CompileContext ctx) {
        this.ctx = ctx
    }

    Playbook build(PlaybookSpec spec, Input playbook, Input environment) {
        Group root = new Group('', '', Group.Kind.SEQUENCE, nodes(spec.children, null))
        Map<String, Object> params = ctx.params.resolved()
        EnvironmentDef env = ctx.environment
        Playbook.Source source = new Playbook.Source(
                playbook.file()?.toString(), environment?.file()?.toString(), Fingerprint.of(playbook.bytes(), env.files, params))
        Path baseDir = playbook.file() != null ? playbook.file().parent : Path.of('').toAbsolutePath()
        List<String> secretNames = new TreeSet<String>(env.secrets.values()).toList()
        new Playbook(spec.name, env.name, root, params, env.vars, secretNames, source, baseDir)
    }

    private List<Node> nodes(List<NodeSpec> specs, Target target) {
        specs.collect { NodeSpec spec -> node(spec, target) }
    }

    private Node node(NodeSpec spec, Target target) {
        if (spec instanceof StepSpec) {
            return step((StepSpec) spec, target)
        }
        if (spec instanceof PhaseSpec) {
            PhaseSpec phase = (PhaseSpec) spec
            return new Group(spec.id(), spec.name, Group.Kind.PHASE, nodes(phase.children, phase.target?.unwrap() ?: target))
        }
        if (spec instanceof BranchSpec) {
            return new Group(spec.id(), spec.name, Group.Kind.SEQUENCE, nodes(((BranchSpec) spec).children, target))
        }
        if (spec instanceof ParallelSpec) {
            ParallelSpec parallel = (ParallelSpec) spec
            int max = (Integer) (parallel.options['maxConcurrency'] ?: 0)
            return new Parallel(spec.id(), spec.name, max, nodes(parallel.children, target))
        }
        if (spec instanceof RollingSpec) {
            return rolling((RollingSpec) spec)
        }
        ApprovalSpec approval = (ApprovalSpec) spec
        Object prompt = approval.options['prompt']
        new ApprovalGate(spec.id(), spec.name, prompt != null ? prompt.toString() : "Approve ${spec.id()}?".toString())
    }

    private Rolling rolling(RollingSpec spec) {
        List<Rolling.Batch> batches = []
        int next = 0
        spec.batchSizes.eachWithIndex { Integer size, int i ->
            List<Rolling.Member> members = spec.members.subList(next, next + size).collect { RollingSpec.Member m ->
                Target target = m.target.unwrap()
                List<Node> body = nodes(m.body.children, target)
                new Rolling.Member(target, body.size() == 1 ? body[0] : new Group(m.body.id(), target.name(), Group.Kind.SEQUENCE, body))
            }
            batches << new Rolling.Batch(i + 1, members)
            next += size
        }
        new Rolling(spec.id(), spec.name, batches, spec.failureShare, spec.options['parallel'] == true, spec.batchSpec)
    }

    private Step step(StepSpec spec, Target target) {
        Step.Builder builder
        Compensation compensation
        if (spec.type != null) {
            Step base = create(spec, spec.id())
            if (base == null) {
                return PLACEHOLDER
            }
            builder = base.toBuilder().type(spec.typeName)
            compensation = base.compensation()
        } else if (spec.typeName == ContainerSpec.ON_ROLLBACK) {
            builder = Step.builder(spec.id(), new ClosureAction(((RunStepSpec) spec.options).runs[0]))
                    .type(ContainerSpec.ON_ROLLBACK)
                    .describe('nothing now; where a rollback reaches this point, it runs the undo below')
                    .idempotent(true)
            compensation = Compensation.none()
        } else {
            builder = Step.builder(spec.id(), new ClosureAction(((RunStepSpec) spec.options).runs[0]))
                    .type('groovy')
                    .describe("Groovy code at ${where(spec.position())}".toString())
            // Groovy code may change anything: without compensate or irreversible, say so in plans.
            compensation = Compensation.undeclared()
        }
        StepOptionsSpec options = spec.options
        if (options.irreversibleReason != null) {
            compensation = Compensation.irreversible(options.irreversibleReason)
        }
        if (!options.compensations.empty) {
            compensation = declared(options.compensations[0], spec)
        }
        if (options.readOnlyPos != null) {
            if (options.irreversibleReason != null || !options.compensations.empty) {
                ctx.problem(options.readOnlyPos, "readOnly on step '${spec.name}', which also declares an undo".toString(),
                        'a read-only step has nothing to undo: remove readOnly, or the compensate/irreversible')
            } else {
                compensation = Compensation.none()
            }
        }
        if (options.dataLossWarning != null) {
            if (compensation.kind() == Compensation.Kind.NONE || compensation.kind() == Compensation.Kind.UNDECLARED) {
                ctx.problem(options.dataLossPos, "dataLoss on step '${spec.name}', which has nothing to undo".toString(),
                        'declare compensate { } or irreversible, or remove dataLoss')
            } else {
                compensation = compensation.withDataLossWarning(options.dataLossWarning)
            }
        }
        builder.compensation(compensation).target(target)
        if (options.labelText != null) {
            builder.label(options.labelText)
        }
        if (options.recordedProbe() != null) {
            builder.probe(new ClosureProbe(options.recordedProbe()))
        }
        if (options.idempotentFlag != null) {
            builder.idempotent(options.idempotentFlag)
        }
        if (options.retryPolicy != null) {
            builder.retry(options.retryPolicy)
        }
        if (options.timeoutValue != null) {
            builder.timeout(Values.duration(options.timeoutValue))
        }
        builder.build()
    }

    private Compensation declared(CompensateSpec spec, StepSpec owner) {
        Compensation compensation
        RetryPolicy retry = spec.retryPolicy
        if (!spec.steps.empty) {
            Step undo = create(spec.steps[0], owner.id() + '/compensate')
            if (undo == null) {
                return Compensation.none()
            }
            compensation = Compensation.of(spec.description ?: undo.description(), undo.action())
            retry = retry ?: undo.retry()
        } else {
            compensation = Compensation.of(spec.description ?: "Groovy code at ${where(spec.position())}".toString(), new ClosureAction(spec.runs[0]))
        }
        retry != null && retry != RetryPolicy.NONE ? compensation.withRetry(retry) : compensation
    }

    private Step create(StepSpec spec, String id) {
        try {
            return spec.type.create(id, spec.checked).build()
        } catch (IllegalArgumentException e) {
            ctx.problem(spec.position(), e.message ?: "invalid arguments for ${spec.typeName}".toString(),
                    "${spec.typeName} takes: ${spec.type.arguments()*.name().join(', ')}".toString())
            return null
        }
    }

    private static String where(Pos pos) {
        "${Path.of(pos.file).fileName}:${pos.line}".toString()
    }
}
