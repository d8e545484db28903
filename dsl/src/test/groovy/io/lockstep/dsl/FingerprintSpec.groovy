package io.lockstep.dsl

import spock.lang.Specification
import spock.lang.TempDir
import spock.lang.Unroll

import java.nio.file.Files
import java.nio.file.Path

class FingerprintSpec extends Specification {

    @TempDir
    Path dir

    Path playbook
    Path environment
    Path base

    def setup() {
        playbook = copy(Fixtures.DEMO, 'upgrade.groovy')
        Files.createDirectories(dir.resolve('env'))
        environment = copy(Fixtures.STAGING, 'env/staging.groovy')
        base = copy(Fixtures.ROOT.resolve('demo/env/base.groovy'), 'env/base.groovy')
    }

    private Path copy(Path from, String to) {
        Files.copy(from, dir.resolve(to))
    }

    private String fingerprint(Map<String, String> params = [version: '1.1.0']) {
        Fixtures.loader().load(playbook, environment, params).source().fingerprint()
    }

    def "the fingerprint is stable while nothing changes"() {
        expect:
        fingerprint() == fingerprint()
    }

    @Unroll
    def "the fingerprint changes when #changed changes"() {
        given:
        String before = fingerprint()

        when:
        Path file = [playbook: playbook, environment: environment, base: base][changed]
        Files.writeString(file, Files.readString(file) + '\n// changed\n')

        then:
        fingerprint() != before

        where:
        changed << ['playbook', 'environment', 'base']
    }

    def "the fingerprint changes with the params"() {
        expect:
        fingerprint([version: '1.1.0']) != fingerprint([version: '1.2.0'])
        fingerprint([version: '1.1.0']) == fingerprint([version: '1.1.0', batchSize: '2'])
    }
}
