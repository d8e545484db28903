package io.lockstep.dsl.internal

import groovy.transform.CompileStatic
import io.lockstep.dsl.internal.CompilerBackend.Input
import io.lockstep.dsl.spec.EnvironmentScript
import io.lockstep.dsl.spec.EnvironmentSpec

import java.nio.file.Files
import java.nio.file.Path

/** Evaluates an environment file and, through {@code inherits}, its bases; detects cycles. */
@CompileStatic
final class EnvironmentLoader {

    private final CompileContext ctx
    private final ScriptCompiler compiler
    private final List<Input> loading = []
    private final List<byte[]> files = []

    EnvironmentLoader(CompileContext ctx, ScriptCompiler compiler) {
        this.ctx = ctx
        this.compiler = compiler
    }

    /** The merged environment, or {@code null} after recording why there is none. */
    EnvironmentDef load(Input input, Class<? extends Script> scriptClass) {
        evaluate(input, scriptClass)
    }

    /** Called by {@code inherits 'base.groovy'} in the file being evaluated. */
    EnvironmentDef inherit(String relative, Pos at) {
        Input child = loading.last()
        Path file = child.file() != null
                ? child.file().parent.resolve(relative).normalize()
                : Path.of(relative).toAbsolutePath().normalize()
        Path childName = Path.of(child.displayName()).parent
        String display = (childName == null ? Path.of(relative) : childName.resolve(relative)).normalize().toString()
        int cycleStart = loading.findIndexOf { Input it -> key(it) == file.toString() }
        if (cycleStart >= 0) {
            List<String> chain = loading.subList(cycleStart, loading.size()).collect { Input it -> fileName(it.displayName()) }
            chain << fileName(display)
            ctx.problem(at, "cyclic inheritance: ${chain.join(' -> ')}".toString(), 'remove one of these inherits')
            return null
        }
        if (!Files.isRegularFile(file)) {
            ctx.problem(at, "base environment '${relative}' not found".toString(),
                    "inherits paths are relative to the file that names them; looked for ${display}".toString())
            return null
        }
        Input base = new Input(display, file, Files.readAllBytes(file))
        Class<? extends Script> scriptClass = compiler.compile(base, EnvironmentScript)
        scriptClass == null ? null : evaluate(base, scriptClass)
    }

    private EnvironmentDef evaluate(Input input, Class<? extends Script> scriptClass) {
        String previousFile = ctx.currentFile
        int problemsBefore = ctx.problemCount()
        EnvironmentScript script = (EnvironmentScript) scriptClass.getDeclaredConstructor().newInstance()
        script.binding = new Binding()
        script.attachLockstep(ctx)
        script.attachLoader(this)
        loading << input
        ctx.currentFile = input.displayName()
        try {
            ctx.runScript(script)
        } finally {
            loading.removeLast()
            ctx.currentFile = previousFile
        }
        files << input.bytes()
        EnvironmentSpec spec = script.declaredEnvironment()
        if (spec == null) {
            if (ctx.problemCount() == problemsBefore) {
                ctx.problem(new Pos(input.displayName(), 1, 1), "not an environment file: no environment('name') { } block".toString(),
                        "an environment file holds environment('name') { vars { } secrets { } targets { } }")
            }
            return null
        }
        if (!TreeValidator.validName(spec.name)) {
            ctx.problem(spec.position(), "invalid environment name '${spec.name}'".toString(), TreeValidator.NAME_HINT)
        }
        spec.toDef(new ArrayList<byte[]>(files))
    }

    private static String key(Input input) {
        input.file() != null ? input.file().toString() : Path.of(input.displayName()).toAbsolutePath().normalize().toString()
    }

    private static String fileName(String display) {
        Path.of(display).fileName.toString()
    }
}
