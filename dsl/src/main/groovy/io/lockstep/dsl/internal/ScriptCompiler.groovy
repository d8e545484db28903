package io.lockstep.dsl.internal

import groovy.transform.CompileStatic
import io.lockstep.dsl.internal.CompilerBackend.Input
import org.codehaus.groovy.control.CompilationFailedException
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

    private final CompileContext ctx

    ScriptCompiler(CompileContext ctx) {
        this.ctx = ctx
    }

    /** The script class, or {@code null} after recording the file's syntax errors. */
    Class<? extends Script> compile(Input input, Class<? extends Script> baseClass) {
        CompilerConfiguration config = new CompilerConfiguration()
        config.scriptBaseClass = baseClass.name
        config.addCompilationCustomizers(imports(), new PositionCustomizer())
        String scriptName = ctx.registerScript(input.displayName())
        GroovyClassLoader loader = new GroovyClassLoader(ScriptCompiler.classLoader, config)
        String text = new String(input.bytes(), StandardCharsets.UTF_8)
        try {
            return (Class<? extends Script>) loader.parseClass(new GroovyCodeSource(text, scriptName, '/groovy/script'), false)
        } catch (MultipleCompilationErrorsException e) {
            e.errorCollector.errors.each { Message m -> record(input.displayName(), text, m) }
        } catch (CompilationFailedException e) {
            ctx.problem(new Pos(input.displayName(), 0, 0), firstLine(e.message), null)
        }
        null
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
