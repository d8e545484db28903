package io.lockstep.steps

import io.lockstep.engine.model.Compensation
import io.lockstep.engine.model.Step
import io.lockstep.engine.spi.ArgSpec
import io.lockstep.engine.spi.StepType
import io.lockstep.engine.spi.StepTypes
import spock.lang.Specification
import spock.lang.Unroll

class BuiltInStepTypesSpec extends Specification {

    StepTypes types = StepTypes.load(getClass().classLoader)

    def "the built-in step types are found through the service loader"() {
        expect:
        types.names().containsAll(['assertLogClean', 'backupFiles', 'command', 'httpCheck', 'restoreFiles'])
    }

    @Unroll
    def "#name with arguments #given and defaults builds a step: idempotent #idempotent, compensation #kind"() {
        given:
        StepType type = types.find(name).get()
        Map<String, Object> args = [:]
        type.arguments().each { ArgSpec spec ->
            if (spec.defaultValue() != null) {
                args[spec.name()] = spec.defaultValue()
            }
        }
        args.putAll(given)

        when:
        Step step = type.create("phase/$name", args).build()

        then:
        type.summary()
        type.arguments().findAll { it.required() }*.name() == required
        step.type() == name
        step.id() == "phase/$name"
        step.idempotent() == idempotent
        step.compensation().kind() == kind
        (step.probe() != null) == hasProbe

        where:
        name             | given                                 || required | idempotent | kind                     | hasProbe
        'command'        | [args: ['true']]                      || []       | false      | Compensation.Kind.UNDECLARED | false
        'backupFiles'    | [path: 'data']                        || ['path'] | true       | Compensation.Kind.ACTION | true
        'restoreFiles'   | [from: 'backup/data']                 || ['from'] | true       | Compensation.Kind.NONE   | true
        'httpCheck'      | [url: 'http://127.0.0.1:8080/health'] || ['url']  | true       | Compensation.Kind.NONE   | false
        'assertLogClean' | [file: 'logs/service.log']            || ['file'] | true       | Compensation.Kind.NONE   | false
    }
}
