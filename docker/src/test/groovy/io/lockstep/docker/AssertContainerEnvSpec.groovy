package io.lockstep.docker

import io.lockstep.testing.TestStepContext
import com.github.dockerjava.api.DockerClient
import io.lockstep.steps.StepFailedException
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Path

/** assertContainerEnv on a real container: the portal's dialect check before 1.14.0. */
class AssertContainerEnvSpec extends Specification {

    static final String NAME = 'lockstep-spec-env'
    static final Map RULES = [PORTAL_DATABASE_DIALECT: '^(postgres|mysql)$', PORTAL_DATABASE_CONNECTIONSTRING: '.+']

    @TempDir
    Path dir

    @Shared
    Docker docker

    DockerClient client

    def setupSpec() {
        DockerTestbed.ensureImages()
        docker = DockerTestbed.lease()
    }

    def cleanupSpec() {
        docker?.close()
    }

    def setup() {
        client = docker.client()
        DockerTestbed.cleanup(client, [NAME])
    }

    def cleanup() {
        DockerTestbed.cleanup(client, [NAME])
    }

    private void create(List<String> env) {
        client.createContainerCmd(DockerTestbed.V1).withName(NAME).withEnv(env).withCmd('sleep', '60').exec()
    }

    private Map check(TestStepContext ctx) {
        DockerTestbed.step('assertContainerEnv', 'preflight/dialect',
            [container: NAME, matches: RULES, show: ['PORTAL_DATABASE_DIALECT']]).build().action().execute(ctx)
    }

    def "a container with a supported dialect and a connection string passes; the string is never shown"() {
        given:
        create(['PORTAL_DATABASE_DIALECT=postgres', 'PORTAL_DATABASE_CONNECTIONSTRING=host=db password=s3cret'])
        TestStepContext ctx = new TestStepContext(dir)

        when:
        Map outputs = check(ctx)

        then:
        outputs == [container: NAME, checked: ['PORTAL_DATABASE_DIALECT', 'PORTAL_DATABASE_CONNECTIONSTRING'],
                    values: [PORTAL_DATABASE_DIALECT: 'postgres']]
        ctx.lines == ["PORTAL_DATABASE_DIALECT ('postgres') matches /^(postgres|mysql)\$/",
                      'PORTAL_DATABASE_CONNECTIONSTRING matches /.+/']
    }

    def "sqlite and a missing connection string are both reported, before anything changes"() {
        given: 'a portal from before 1.14.0 on its default database'
        create(['PORTAL_DATABASE_DIALECT=sqlite3'])

        when:
        check(new TestStepContext(dir))

        then:
        StepFailedException e = thrown()
        e.message == "container $NAME environment: PORTAL_DATABASE_DIALECT ('sqlite3') does not match " +
            "/^(postgres|mysql)\$/; PORTAL_DATABASE_CONNECTIONSTRING is not set"
    }

    def "a value not named in show stays hidden in the failure too"() {
        given:
        create(['PORTAL_DATABASE_DIALECT=postgres', 'PORTAL_DATABASE_CONNECTIONSTRING='])

        when:
        check(new TestStepContext(dir))

        then:
        StepFailedException e = thrown()
        e.message == "container $NAME environment: PORTAL_DATABASE_CONNECTIONSTRING does not match /.+/"
    }
}
