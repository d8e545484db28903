package io.lockstep.dsl

import io.lockstep.dsl.spec.DslReceiver
import io.lockstep.dsl.spec.EnvironmentScript
import io.lockstep.dsl.spec.PlaybookScript
import io.lockstep.engine.spi.StepType
import io.lockstep.engine.spi.StepTypes
import spock.lang.Specification
import spock.lang.Unroll

import java.lang.reflect.Method

class IdeSupportSpec extends Specification {

    static final List<Class<?>> RECEIVERS = [
            'ContainerSpec', 'PlaybookSpec', 'PhaseSpec', 'ParallelSpec', 'BranchSpec', 'RollingBodySpec', 'RunStepSpec',
            'StepOptionsSpec', 'CompensateSpec', 'EnvironmentSpec', 'VarsSpec', 'SecretsSpec', 'TargetsSpec',
    ].collect { Class.forName("io.lockstep.dsl.spec.$it") } + [PlaybookScript, EnvironmentScript]

    private static String resource(String name) {
        IdeSupportSpec.classLoader.getResource(name).getText('UTF-8')
    }

    @Unroll
    def "#descriptor names every registered step type and its arguments"() {
        given:
        String text = resource(descriptor)

        expect:
        StepTypes types = StepTypes.load(getClass().classLoader)
        types.names().containsAll(['command', 'backupFiles', 'restoreFiles', 'httpCheck', 'assertLogClean'])
        types.names().every { String name ->
            StepType type = types.find(name).get()
            text.contains("${name}") && type.arguments().every { text.contains("${it.name()}:") }
        }

        where:
        descriptor << ['lockstep.gdsl', 'dsld/lockstep.dsld']
    }

    def "every closure a DSL method takes is annotated for IDEs: DELEGATE_FIRST delegate or typed parameter"() {
        given:
        List<Method> methods = RECEIVERS.collectMany { it.declaredMethods.toList() }
                .findAll { it.parameterTypes.contains(Closure) && !it.synthetic && java.lang.reflect.Modifier.isPublic(it.modifiers) }
        List<String> unannotated = []
        for (Method method : methods) {
            if (!annotated(method)) {
                unannotated << method.toString()
            }
        }

        expect:
        methods.size() >= 15
        unannotated == []
    }

    private static boolean annotated(Method method) {
        int i = method.parameterTypes.toList().indexOf(Closure)
        DelegatesTo delegates = method.parameterAnnotations[i].find { it instanceof DelegatesTo } as DelegatesTo
        boolean typed = method.parameterAnnotations[i]*.annotationType().contains(groovy.transform.stc.ClosureParams)
        (delegates != null && delegates.strategy() == Closure.DELEGATE_FIRST) || typed
    }

    def "DSL blocks really resolve DELEGATE_FIRST: a block's own method wins over a script method of the same name"() {
        given:
        String source = '''
            def label(String text) {
                throw new IllegalStateException('the script method was called')
            }
            playbook('p') {
                phase('a') {
                    command('c', args: ['true']) {
                        label 'from the step'
                    }
                }
            }'''

        when:
        def playbook = Fixtures.loader().loadText(source, null, [:])

        then:
        playbook.root().children()[0].children()[0].label() == 'from the step'
    }

    def "receivers hide their state from scripts"() {
        expect:
        DslReceiver.getMethod('getProperty', String).declaringClass == DslReceiver
    }
}
