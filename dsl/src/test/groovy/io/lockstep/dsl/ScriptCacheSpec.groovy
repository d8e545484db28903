package io.lockstep.dsl

import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path

class ScriptCacheSpec extends Specification {

    @TempDir
    Path dir

    def "two files with the same content share a compiled class, yet each problem names its own file"() {
        given:
        Path source = Fixtures.ROOT.resolve('errors/unknown-property.groovy')
        Path first = Files.copy(source, dir.resolve('first.groovy'))
        Path second = Files.copy(source, dir.resolve('second.groovy'))
        Path environment = Fixtures.ROOT.resolve('errors/env/good.groovy')

        when:
        List<Problem> fromFirst = Fixtures.loader().validate(first, environment, [:])
        List<Problem> fromSecond = Fixtures.loader().validate(second, environment, [:])

        then:
        fromFirst*.toString() == ["${first}:4:37: unknown property 'parms'\n  hint: did you mean 'params'?".toString()]
        fromSecond*.toString() == ["${second}:4:37: unknown property 'parms'\n  hint: did you mean 'params'?".toString()]
    }
}
