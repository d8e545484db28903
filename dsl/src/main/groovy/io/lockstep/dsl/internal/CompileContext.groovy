package io.lockstep.dsl.internal

import groovy.transform.CompileStatic
import io.lockstep.dsl.PlaybookException
import io.lockstep.dsl.Problem
import io.lockstep.dsl.spec.DslReceiver
import io.lockstep.dsl.spec.ParamValues
import io.lockstep.engine.spi.StepTypes
import org.codehaus.groovy.runtime.InvokerInvocationException

/**
 * The state of one load: step types, problems found so far, which receiver is evaluating (the
 * innermost DSL block), and which generated script class stands for which user file.
 */
@CompileStatic
final class CompileContext {

    final StepTypes types
    final Map<String, String> givenParams
    private final List<Problem> problems = []
    /** One problem per place and message: a rolling body repeats its mistakes once per target. */
    private final Set<List<Object>> seen = new HashSet<>()
    private final List<String> fileOrder = []
    private final Map<String, String> scriptFiles = [:]
    private Deque<Object> frames = new ArrayDeque<>()

    /** The user file being evaluated. */
    String currentFile
    /** Set once the model is built: closures that run later must not record problems any more. */
    boolean closed
    /** Set when evaluating a script reported a problem; checks for emptiness are then skipped. */
    boolean evaluationFailed
    EnvironmentDef environment = EnvironmentDef.NONE
    ParamValues params

    CompileContext(StepTypes types, Map<String, String> givenParams) {
        this.types = types
        this.givenParams = givenParams
        this.params = new ParamValues(this)
    }

    /** Maps a generated script's source name (what stack traces show) to the user's file. */
    void registerScript(String name, String displayName) {
        scriptFiles[name] = displayName
        if (!fileOrder.contains(displayName)) {
            fileOrder << displayName
        }
    }

    Pos here() {
        new Pos(currentFile, SourceMarks.line(), SourceMarks.column())
    }

    void problem(Pos pos, String message, String hint = null) {
        String file = pos?.file ?: currentFile
        if (!fileOrder.contains(file)) {
            fileOrder << file
        }
        Problem problem = new Problem(file, pos?.line ?: 0, pos?.column ?: 0, message, hint)
        if (seen.add([problem.file(), problem.line(), problem.column(), problem.message()])) {
            problems << problem
        }
    }

    void problem(String message, String hint = null) {
        problem(here(), message, hint)
    }

    boolean hasProblems() {
        !problems.empty
    }

    int problemCount() {
        problems.size()
    }

    List<Problem> sortedProblems() {
        problems.toSorted { Problem a, Problem b ->
            fileOrder.indexOf(a.file()) <=> fileOrder.indexOf(b.file()) ?: a.line() <=> b.line() ?: a.column() <=> b.column()
        }
    }

    void failIfProblems() {
        if (hasProblems()) {
            throw new PlaybookException(sortedProblems())
        }
    }

    Object top() {
        frames.peek()
    }

    boolean isInnermost(Object receiver) {
        frames.peek().is(receiver)
    }

    /**
     * Runs a DSL block with {@code receiver} as its delegate, DELEGATE_FIRST. A mistake inside is
     * recorded and ends only this block: its siblings are still evaluated, so one load reports many
     * problems.
     */
    void evaluate(@DelegatesTo.Target Object receiver,
                  @DelegatesTo(strategy = Closure.DELEGATE_FIRST) Closure<?> body, Object... args) {
        if (body == null) {
            return
        }
        Closure<?> block = (Closure<?>) body.clone()
        block.resolveStrategy = Closure.DELEGATE_FIRST
        block.delegate = receiver
        frames.push(receiver)
        int problemsBefore = problems.size()
        try {
            // One argument at most (the target of a rolling body); call(Object[]) would pass the array itself.
            args.length == 0 ? block.call() : block.call(args[0])
        } catch (Exception e) {
            report(e)
        } finally {
            frames.pop()
            if (problems.size() > problemsBefore && receiver instanceof DslReceiver) {
                ((DslReceiver) receiver).failed = true
            }
        }
    }

    /** Runs a whole script with the same protection as {@link #evaluate}. */
    void runScript(Script script) {
        Deque<Object> outer = frames
        frames = new ArrayDeque<>()
        try {
            script.run()
        } catch (Exception e) {
            report(e)
        } finally {
            frames = outer
        }
    }

    /** Turns an exception thrown by a script into a problem at the script's line. */
    void report(Throwable thrown) {
        Throwable e = thrown
        while (e instanceof InvokerInvocationException && e.cause != null) {
            e = e.cause
        }
        evaluationFailed = true
        if (e instanceof DslError) {
            DslError error = (DslError) e
            problem(error.pos ?: here(), error.message, error.hint)
            return
        }
        StackTraceElement frame = e.stackTrace.find { StackTraceElement it -> scriptFiles.containsKey(it.fileName) }
        String file = frame != null ? scriptFiles[frame.fileName] : currentFile
        int line = frame != null ? frame.lineNumber : SourceMarks.line()
        int column = line == SourceMarks.line() && file == currentFile ? SourceMarks.column() : 0
        List<String> text = describe(e)
        problem(new Pos(file, line, column), text[0], text[1])
    }

    private static List<String> describe(Throwable e) {
        if (e instanceof MissingPropertyException) {
            MissingPropertyException missing = (MissingPropertyException) e
            if (isDslType(missing.type)) {
                return ["unknown property '${missing.property}'".toString(),
                        Suggestions.didYouMean(missing.property, Keywords.PROPERTIES + Keywords.USAGE.keySet())]
            }
            return ["no property '${missing.property}' on ${missing.type?.simpleName}".toString(), null]
        }
        if (e instanceof MissingMethodException) {
            MissingMethodException missing = (MissingMethodException) e
            String types = missing.arguments.collect { it == null ? 'null' : it.getClass().simpleName }.join(', ')
            if (isDslType(missing.type)) {
                return ["unknown method '${missing.method}'".toString(), Suggestions.didYouMean(missing.method, Keywords.USAGE.keySet())]
            }
            return ["no method ${missing.type?.simpleName}.${missing.method}(${types})".toString(), null]
        }
        String message = e.message ?: ''
        return ["${e.getClass().simpleName}${message ? ': ' + message : ''}".toString(), null]
    }

    private static boolean isDslType(Class<?> type) {
        type == null || Script.isAssignableFrom(type) || Closure.isAssignableFrom(type) || DslReceiver.isAssignableFrom(type)
    }
}
