package io.lockstep.dsl.spec

import groovy.transform.CompileStatic
import io.lockstep.dsl.internal.CompileContext
import io.lockstep.dsl.internal.Keywords
import io.lockstep.dsl.internal.Pos
import io.lockstep.engine.spi.StepType

/** A recorded step: a step type call, or {@code step('name') { run { } }} (then {@code type} is null). */
@CompileStatic
class StepSpec extends NodeSpec {

    final StepType type
    final String typeName
    final Map<String, Object> arguments
    final StepOptionsSpec options
    /** Arguments after checking and conversion; set by the validator. */
    Map<String, Object> checked = [:]

    StepSpec(CompileContext ctx, Pos pos, String name, String path, String suffix, StepType type, String typeName,
             Map<String, Object> arguments, StepOptionsSpec options) {
        super(ctx, pos, name, path, suffix)
        this.type = type
        this.typeName = typeName
        this.arguments = arguments
        this.options = options
    }

    /**
     * Records {@code typeName 'name', arg: value, ... { options }}; in a compensation the call has
     * no name and no options.
     */
    static StepSpec call(CompileContext ctx, StepType type, Object[] args, NodeSpec parent, boolean compensation) {
        Pos at = ctx.here()
        String typeName = type.name()
        int i = 0
        Map<String, Object> named = [:]
        String name = null
        Closure<?> body = null
        if (i < args.length && args[i] instanceof Map) {
            ((Map<?, ?>) args[i++]).each { k, v -> named.put(String.valueOf(k), v) }
        }
        if (i < args.length && args[i] instanceof CharSequence) {
            name = args[i++].toString()
        }
        if (i < args.length && args[i] instanceof Closure) {
            body = (Closure<?>) args[i++]
        }
        if (i < args.length) {
            ctx.problem(at, "wrong arguments for ${typeName}".toString(),
                    "write: ${typeName} 'name', argument: value, ... { options }".toString())
            return null
        }
        if (compensation) {
            if (name != null) {
                ctx.problem(at, "a compensation step takes no name, got '${name}'".toString(),
                        "remove the name: the compensation is known by the step it undoes")
            }
            if (body != null) {
                ctx.problem(at, 'a compensation step takes no options { }',
                        "put retry directly in compensate { }: ${Keywords.USAGE['compensate']}".toString())
            }
            return new StepSpec(ctx, at, null, parent.path, parent.suffix, type, typeName, named, null)
        }
        if (name == null) {
            ctx.problem(at, "step ${typeName} needs a name".toString(),
                    "write: ${typeName} 'name', argument: value, ...".toString())
            return null
        }
        StepOptionsSpec options = new StepOptionsSpec(ctx, at)
        ctx.evaluate(options, body)
        String path = parent.path ? "${parent.path}/${name}".toString() : name
        new StepSpec(ctx, at, name, path, parent.suffix, type, typeName, named, options)
    }
}
