package io.lockstep.dsl.internal

import groovy.transform.CompileStatic
import org.codehaus.groovy.ast.ClassCodeExpressionTransformer
import org.codehaus.groovy.ast.ClassHelper
import org.codehaus.groovy.ast.ClassNode
import org.codehaus.groovy.ast.DynamicVariable
import org.codehaus.groovy.ast.MethodNode
import org.codehaus.groovy.ast.expr.ArgumentListExpression
import org.codehaus.groovy.ast.expr.BinaryExpression
import org.codehaus.groovy.ast.expr.ClosureExpression
import org.codehaus.groovy.ast.expr.ConstantExpression
import org.codehaus.groovy.ast.expr.Expression
import org.codehaus.groovy.ast.expr.MapExpression
import org.codehaus.groovy.ast.expr.MethodCallExpression
import org.codehaus.groovy.ast.expr.NamedArgumentListExpression
import org.codehaus.groovy.ast.expr.PostfixExpression
import org.codehaus.groovy.ast.expr.PrefixExpression
import org.codehaus.groovy.ast.expr.PropertyExpression
import org.codehaus.groovy.ast.expr.SpreadExpression
import org.codehaus.groovy.ast.expr.StaticMethodCallExpression
import org.codehaus.groovy.ast.expr.TupleExpression
import org.codehaus.groovy.ast.expr.VariableExpression
import org.codehaus.groovy.classgen.GeneratorContext
import org.codehaus.groovy.control.CompilePhase
import org.codehaus.groovy.control.SourceUnit
import org.codehaus.groovy.control.customizers.CompilationCustomizer
import org.codehaus.groovy.syntax.Types

/**
 * Gives every DSL call its line and column at run time (a stack trace has lines only). Rewrites
 * <ul>
 *   <li>{@code foo(a, b)} into {@code foo(a, SourceMarks.mark(line, col, b))};
 *   <li>{@code foo()}, a dynamic variable {@code x} and a property {@code x.y} into
 *       {@code SourceMarks.last(SourceMarks.mark(line, col), expr)}.
 * </ul>
 * The bodies of {@code run { }} and {@code probe { }} are left alone: they run later, in the engine.
 */
@CompileStatic
final class PositionCustomizer extends CompilationCustomizer {

    PositionCustomizer() {
        super(CompilePhase.CANONICALIZATION)
    }

    @Override
    void call(SourceUnit source, GeneratorContext context, ClassNode classNode) {
        Marker marker = new Marker(source)
        for (MethodNode method : classNode.methods) {
            method.code?.visit(marker)
        }
    }

    private static final class Marker extends ClassCodeExpressionTransformer {
        private static final ClassNode MARKS = ClassHelper.make(SourceMarks)
        private static final Set<String> DEFERRED = ['run', 'probe'] as Set<String>
        private final SourceUnit source

        Marker(SourceUnit source) {
            this.source = source
        }

        @Override
        protected SourceUnit getSourceUnit() {
            source
        }

        @Override
        Expression transform(Expression e) {
            if (e == null) {
                return null
            }
            if (e instanceof ClosureExpression) {
                ((ClosureExpression) e).code?.visit(this)
                return e
            }
            if (e instanceof MethodCallExpression && ((MethodCallExpression) e).implicitThis) {
                return markCall((MethodCallExpression) e)
            }
            if (e instanceof BinaryExpression && Types.ofType(((BinaryExpression) e).operation.type, Types.ASSIGNMENT_OPERATOR)) {
                BinaryExpression assignment = (BinaryExpression) e
                assignment.rightExpression = transform(assignment.rightExpression)
                return assignment
            }
            if (e instanceof PostfixExpression || e instanceof PrefixExpression) {
                return e
            }
            if (e instanceof VariableExpression && ((VariableExpression) e).accessedVariable instanceof DynamicVariable) {
                return before(e, e)
            }
            if (e instanceof PropertyExpression && ((PropertyExpression) e).objectExpression instanceof VariableExpression) {
                return before(e, e.transformExpression(this))
            }
            return e.transformExpression(this)
        }

        private Expression markCall(MethodCallExpression call) {
            boolean deferred = DEFERRED.contains(call.methodAsString)
            Expression arguments = call.arguments
            if (!(arguments instanceof TupleExpression)) {
                call.arguments = transform(arguments)
                return before(call, call)
            }
            List<Expression> expressions = []
            for (Expression argument : ((TupleExpression) arguments).expressions) {
                expressions << (deferred && argument instanceof ClosureExpression ? argument : transform(argument))
            }
            if (expressions.empty || expressions.any { it instanceof SpreadExpression }) {
                call.arguments = new ArgumentListExpression(expressions)
                return before(call, call)
            }
            Expression last = expressions.removeLast()
            if (last instanceof NamedArgumentListExpression) {
                MapExpression map = new MapExpression(((NamedArgumentListExpression) last).mapEntryExpressions)
                map.sourcePosition = last
                last = map
            }
            Expression marked = new StaticMethodCallExpression(MARKS, 'mark', new ArgumentListExpression(
                    new ConstantExpression(call.lineNumber, true), new ConstantExpression(call.columnNumber, true), last))
            marked.sourcePosition = last
            expressions << marked
            ArgumentListExpression list = new ArgumentListExpression(expressions)
            list.sourcePosition = arguments
            call.arguments = list
            return call
        }

        private static Expression before(Expression at, Expression expression) {
            Expression mark = new StaticMethodCallExpression(MARKS, 'mark', new ArgumentListExpression(
                    new ConstantExpression(at.lineNumber, true), new ConstantExpression(at.columnNumber, true)))
            mark.sourcePosition = at
            Expression wrapped = new StaticMethodCallExpression(MARKS, 'last', new ArgumentListExpression(mark, expression))
            wrapped.sourcePosition = at
            return wrapped
        }
    }
}
