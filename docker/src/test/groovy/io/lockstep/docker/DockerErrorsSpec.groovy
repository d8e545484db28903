package io.lockstep.docker

import io.lockstep.testing.TestStepContext
import io.lockstep.engine.model.Target
import io.lockstep.steps.StepFailedException
import spock.lang.Specification
import spock.lang.TempDir
import spock.lang.Unroll

import java.nio.file.Path

/** Failures an operator understands, without docker-java stack traces in the message. */
class DockerErrorsSpec extends Specification {

    @TempDir
    Path dir

    def setupSpec() {
        DockerTestbed.ensureImages()
    }

    @Unroll
    def "#type on an unknown container says so"() {
        when:
        DockerTestbed.step(type, 'x', [container: 'portal-does-not-exist'] + extra).build().action().execute(new TestStepContext(dir))

        then:
        def e = thrown(StepFailedException)
        e.message == "no container named 'portal-does-not-exist' on ${DockerTestbed.HOST}"

        where:
        type                      | extra
        'recreateContainer'       | [image: DockerTestbed.V2]
        'stopContainer'           | [:]
        'startContainer'          | [:]
        'waitContainer'           | [:]
        'assertContainerLogClean' | [:]
        'execInContainer'         | [args: ['true']]
    }

    @Unroll
    def "a daemon that does not answer at #host is named"() {
        when:
        DockerTestbed.step('stopContainer', 'x', [container: 'portal', host: host]).build().action().execute(new TestStepContext(dir))

        then:
        def e = thrown(DockerUnavailableException)
        e.message.startsWith("cannot reach the Docker daemon at $host: is it running?")
        !e.message.contains('Exception')

        where:
        host << ["unix://${System.getProperty('java.io.tmpdir')}/lockstep-no-such.sock".toString(), 'tcp://127.0.0.1:1']
    }

    def "the endpoint comes from the target's dockerHost when the step gives none"() {
        given:
        TestStepContext ctx = new TestStepContext(dir)
        ctx.target = new Target('web-1', [dockerHost: 'tcp://127.0.0.1:1'])

        when:
        DockerTestbed.step('waitContainer', 'x', [container: 'portal']).build().action().execute(ctx)

        then:
        def e = thrown(DockerUnavailableException)
        e.message.startsWith('cannot reach the Docker daemon at tcp://127.0.0.1:1: is it running?')
    }

    def "arguments are checked when the step is built"() {
        when:
        DockerTestbed.step('pullImage', 'pull', [image: 'x:1', registryUser: 'u'])

        then:
        def e = thrown(IllegalArgumentException)
        e.message == "pullImage 'pull': give both registryUser and registryPassword, or neither"
    }
}
