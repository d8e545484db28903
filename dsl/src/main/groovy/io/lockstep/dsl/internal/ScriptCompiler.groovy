package io.lockstep.dsl.internal

import groovy.transform.CompileStatic
import io.lockstep.dsl.internal.CompilerBackend.Input
import org.codehaus.groovy.control.CompilationFailedException
import org.codehaus.groovy.control.CompilationUnit
import org.codehaus.groovy.control.Phases
import org.codehaus.groovy.tools.GroovyClass
import org.codehaus.groovy.control.CompilerConfiguration
import org.codehaus.groovy.control.MultipleCompilationErrorsException
import org.codehaus.groovy.control.customizers.ImportCustomizer
import org.codehaus.groovy.control.messages.ExceptionMessage
import org.codehaus.groovy.control.messages.Message
import org.codehaus.groovy.control.messages.SimpleMessage
import org.codehaus.groovy.control.messages.SyntaxErrorMessage
import org.codehaus.groovy.syntax.SyntaxException

import java.nio.charset.StandardCharsets

/**
 * Compiles one playbook or environment file to a script class with the DSL's base class, imports
 * and position marks. Syntax errors become problems with Groovy's line and column.
 *
 * No SecureASTCustomizer: it is a syntax whitelist, not a security boundary, and playbooks are
 * trusted code like the build scripts that run them.
 */
@CompileStatic
final class ScriptCompiler {

    /**
     * Compiled script classes by base class and content, so loading the same file again in one JVM
     * (tests, an embedder reloading a playbook to resume a run) skips Groovy's compiler. Scripts keep
     * no state in their classes: every load runs a new instance.
     */
    private static final int CACHE_SIZE = 64
    private static final Map<String, Class<? extends Script>> CACHE = Collections.synchronizedMap(
            new LinkedHashMap<String, Class<? extends Script>>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Class<? extends Script>> eldest) {
                    size() > CACHE_SIZE
                }
            })

    private final CompileContext ctx
    private final CompiledScriptCache disk

    ScriptCompiler(CompileContext ctx) {
        this(ctx, CompiledScriptCache.DEFAULT)
    }

    ScriptCompiler(CompileContext ctx, CompiledScriptCache disk) {
        this.ctx = ctx
        this.disk = disk
    }

    /** The script class, or {@code null} after recording the file's syntax errors. */
    Class<? extends Script> compile(Input input, Class<? extends Script> baseClass) {
        String digest = CompiledScriptCache.key(baseClass.name, input.bytes())
        // The class name comes from the content, so stack traces of a cached class still map back.
        String className = "LockstepScript_${digest.take(16)}".toString()
        String scriptName = className + '.groovy'
        ctx.registerScript(scriptName, input.displayName())
        Class<? extends Script> cached = CACHE.get(digest) ?: disk.load(digest, className, ScriptCompiler.classLoader)
        if (cached != null) {
            CACHE.put(digest, cached)
            return cached
        }
        CompilerConfiguration config = new CompilerConfiguration()
        config.scriptBaseClass = baseClass.name
        config.addCompilationCustomizers(imports(), new PositionCustomizer())
        GroovyClassLoader loader = new GroovyClassLoader(ScriptCompiler.classLoader, config)
        String text = new String(input.bytes(), StandardCharsets.UTF_8)
        try {
            Class<? extends Script> compiled = disk.enabled()
                    ? compileToDisk(config, loader, scriptName, text, digest, className)
                    : (Class<? extends Script>) loader.parseClass(new GroovyCodeSource(text, scriptName, '/groovy/script'), false)
            CACHE.put(digest, compiled)
            return compiled
        } catch (MultipleCompilationErrorsException e) {
            e.errorCollector.errors.each { Message m -> record(input.displayName(), text, m) }
        } catch (CompilationFailedException e) {
            ctx.problem(new Pos(input.displayName(), 0, 0), firstLine(e.message), null)
        }
        null
    }

    /** Compiles to class bytes, stores them in the disk cache, and loads the script from there. */
    private Class<? extends Script> compileToDisk(CompilerConfiguration config, GroovyClassLoader loader, String scriptName,
                                                 String text, String digest, String className) {
        CompilationUnit unit = new CompilationUnit(config, null, loader)
        unit.addSource(scriptName, text)
        unit.compile(Phases.CLASS_GENERATION)
        disk.store(digest, unit.classes)
        Class<? extends Script> stored = disk.load(digest, className, ScriptCompiler.classLoader)
        if (stored != null) {
            return stored
        }
        // The cache could not be written: define the classes in memory instead.
        unit.classes.each { GroovyClass c -> loader.defineClass(c.name, c.bytes) }
        (Class<? extends Script>) loader.loadClass(className)
    }

    private void record(String file, String text, Message message) {
        if (message instanceof SyntaxErrorMessage) {
            SyntaxException cause = ((SyntaxErrorMessage) message).cause
            ctx.problem(new Pos(file, cause.line, cause.startColumn), 'syntax error: ' + clean(cause.originalMessage, text, cause.line, cause.startColumn),
                    'check the brackets, quotes and commas up to this point')
        } else if (message instanceof ExceptionMessage) {
            ctx.problem(new Pos(file, 0, 0), firstLine(((ExceptionMessage) message).cause?.message ?: 'compilation failed'), null)
        } else if (message instanceof SimpleMessage) {
            ctx.problem(new Pos(file, 0, 0), firstLine(((SimpleMessage) message).message), null)
        }
    }

    /**
     * Groovy's parser reports "Unexpected input: '...'" quoting everything from the start of the
     * construct it could not finish, often several lines; the token where it stopped says more.
     */
    private static String clean(String message, String text, int line, int column) {
        if (message?.startsWith('Unexpected input')) {
            List<String> lines = text.readLines()
            String rest = line >= 1 && line <= lines.size() ? lines[line - 1].substring(Math.min(column - 1, lines[line - 1].length())).trim() : ''
            return rest ? "unexpected '${rest.split(/\s+/)[0].take(20)}'".toString() : 'unexpected end of file'
        }
        firstLine(message).replaceFirst(/\s*@ line \d+, column \d+\.?$/, '').trim()
    }

    private static String firstLine(String message) {
        (message ?: '').readLines().find { it.trim() } ?: 'compilation failed'
    }

    private static ImportCustomizer imports() {
        ImportCustomizer imports = new ImportCustomizer()
        imports.addImports('java.time.Duration', 'java.nio.file.Files', 'java.nio.file.Path', 'java.nio.file.Paths')
        imports.addStarImports('io.lockstep.engine.model')
        imports
    }
}
