package io.lockstep.dsl

import spock.lang.Specification

import java.nio.file.Path

class SmokeSpec extends Specification {
    def "loads"() {
        when:
        def pb = PlaybookLoader.create(TestStepTypes.all()).load(Path.of('src/test/resources/demo/upgrade.groovy'), Path.of('src/test/resources/demo/env/staging.groovy'), [version: '1.1.0'])
        println io.lockstep.engine.Plan.of(pb).entries().collect { "${'  ' * it.depth()}${it.kind()} ${it.id()} ${it.step()?.description() ?: it.note() ?: ''} ${it.step()?.compensation() ?: ''}" }.join('\n')

        then:
        pb != null
    }
}
