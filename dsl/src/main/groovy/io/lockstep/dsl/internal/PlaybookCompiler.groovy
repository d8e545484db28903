package io.lockstep.dsl.internal

import groovy.transform.CompileStatic
import io.lockstep.dsl.internal.CompilerBackend.Input
import io.lockstep.dsl.spec.PlaybookScript
import io.lockstep.dsl.spec.PlaybookSpec
import io.lockstep.dsl.spec.EnvironmentScript
import io.lockstep.engine.model.Playbook
import io.lockstep.engine.spi.StepTypes

/**
 * Parse, validate, then build: compiles both files (syntax), evaluates the environment and the
 * playbook into a recorded tree (closures of {@code run} and {@code probe} are kept, not called),
 * validates the whole tree, and only then builds the engine model. Every stage collects all its
 * problems; any problem stops before the model exists.
 */
@CompileStatic
final class PlaybookCompiler implements CompilerBackend {

    @Override
    Playbook compile(Input playbook, Input environment, Map<String, String> params, StepTypes stepTypes) {
        CompileContext ctx = new CompileContext(stepTypes, params)
        try {
            ScriptCompiler compiler = new ScriptCompiler(ctx)
            Class<? extends Script> playbookClass = compiler.compile(playbook, PlaybookScript)
            Class<? extends Script> environmentClass = environment == null ? null : compiler.compile(environment, EnvironmentScript)
            ctx.failIfProblems()
            if (environment != null) {
                EnvironmentDef env = new EnvironmentLoader(ctx, compiler).load(environment, environmentClass)
                ctx.failIfProblems()
                ctx.environment = env
            }
            PlaybookSpec spec = evaluate(ctx, playbook, playbookClass)
            if (spec != null) {
                new TreeValidator(ctx).validate(spec)
            }
            ctx.failIfProblems()
            Playbook model = new ModelBuilder(ctx).build(spec, playbook, environment)
            ctx.failIfProblems()
            return model
        } finally {
            ctx.closed = true
            SourceMarks.reset()
        }
    }

    private static PlaybookSpec evaluate(CompileContext ctx, Input input, Class<? extends Script> scriptClass) {
        PlaybookScript script = (PlaybookScript) scriptClass.getDeclaredConstructor().newInstance()
        script.binding = new Binding()
        script.attachLockstep(ctx)
        ctx.currentFile = input.displayName()
        int problemsBefore = ctx.problemCount()
        ctx.runScript(script)
        PlaybookSpec spec = script.declaredPlaybook()
        if (spec == null && ctx.problemCount() == problemsBefore) {
            ctx.problem(new Pos(input.displayName(), 1, 1), "no playbook('name') { } block".toString(),
                    "a playbook file holds playbook('name') { ... }")
        }
        spec
    }
}
