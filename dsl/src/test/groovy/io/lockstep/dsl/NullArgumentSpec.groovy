package io.lockstep.dsl

import spock.lang.Specification

import java.time.Duration

/**
 * A playbook computes some arguments ({@code url: manager == 'dpkg' ? file : null}): an optional
 * argument given as null counts as not given, so its default applies; a required one given as null
 * is a mistake reported where it is written.
 */
class NullArgumentSpec extends Specification {

    def "an optional argument given as null is left out and takes its default"() {
        when:
        def playbook = Fixtures.loader().loadText('''
            playbook('p') {
                String body = null
                httpCheck 'health', url: 'http://127.0.0.1:1/health', expectBody: body, requestTimeout: null
            }''', null, [:])
        Map given = playbook.root().children()[0].arguments().given

        then:
        !given.containsKey('expectBody')
        given.requestTimeout == Duration.ofSeconds(5)
    }

    def "a required argument given as null is reported at its call"() {
        when:
        Fixtures.loader().loadText('''
            playbook('p') {
                httpCheck 'health', url: null
            }''', null, [:])

        then:
        PlaybookException e = thrown()
        e.problems()*.message() == ["argument 'url' of httpCheck must be a String, got null"]
        e.problems()[0].line() == 3
    }
}
