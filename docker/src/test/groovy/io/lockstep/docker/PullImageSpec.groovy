package io.lockstep.docker

import io.lockstep.testing.TestbedSettings
import io.lockstep.testing.TestStepContext
import com.github.dockerjava.api.model.AuthConfig
import io.lockstep.engine.model.SecretRef
import io.lockstep.steps.StepFailedException
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path

/**
 * pullImage against the testbed's registry (password auth on 127.0.0.1). The registry comes from the
 * LOCKSTEP_TESTBED_REGISTRY* variables, or the env.properties the testbed writes; without it these
 * specs fail and say how to start it.
 */
class PullImageSpec extends Specification {

    @TempDir
    Path dir

    @Shared
    Map<String, String> registry

    @Shared
    String image

    def setupSpec() {
        DockerTestbed.ensureImages()
        registry = testbedRegistry()
        image = "${registry.address}/lockstep-spec/web:1".toString()
        Docker docker = DockerTestbed.lease()
        try {
            docker.client().tagImageCmd(DockerTestbed.V1, "${registry.address}/lockstep-spec/web", '1').exec()
            docker.client().pushImageCmd(image)
                    .withAuthConfig(new AuthConfig().withUsername(registry.user).withPassword(registry.password)
                            .withRegistryAddress(registry.address))
                    .start().awaitCompletion()
        } finally {
            docker.close()
        }
    }

    def setup() {
        Docker docker = DockerTestbed.lease()
        try {
            docker.client().removeImageCmd(image).exec()
        } catch (Exception ignored) {
            // not present
        } finally {
            docker.close()
        }
    }

    private Map pull(Map args, TestStepContext ctx = new TestStepContext(dir)) {
        DockerTestbed.step('pullImage', 'pull', [image: image] + args).build().action().execute(ctx)
    }

    def "an image is pulled with credentials from secrets; progress is logged and the password is not"() {
        given:
        TestStepContext ctx = new TestStepContext(dir)
        ctx.secrets['REGISTRY_PASSWORD'] = registry.password

        when:
        Map outputs = pull([registryUser: registry.user, registryPassword: new SecretRef('REGISTRY_PASSWORD')], ctx)

        then:
        outputs.image == image
        outputs.imageId == DockerTestbed.lease().withCloseable { it.client().inspectImageCmd(DockerTestbed.V1).exec().id }
        outputs.digest.startsWith("${registry.address}/lockstep-spec/web@sha256:")
        outputs.previousImageId == ''
        outputs.changed == true
        ctx.lines[0] == "pulling $image as ${registry.user} (credentials from arguments)"
        ctx.lines.any { it.startsWith('Status: ') || it.startsWith('Digest: ') }
        ctx.lines.every { !it.contains(registry.password) }

        when: 'pulled again: nothing changes'
        Map again = pull([registryUser: registry.user, registryPassword: new SecretRef('REGISTRY_PASSWORD')], ctx)

        then:
        again.imageId == outputs.imageId
        again.previousImageId == outputs.imageId
        again.changed == false
    }

    def "credentials come from a Docker CLI config.json"() {
        given:
        Path config = Files.createDirectories(dir.resolve('docker-config'))
        String auth = Base64.encoder.encodeToString("${registry.user}:${registry.password}".bytes)
        Files.writeString(config.resolve('config.json'), """{"auths": {"http://${registry.address}": {"auth": "$auth"}}}""")
        TestStepContext ctx = new TestStepContext(dir)

        when:
        Map outputs = pull([dockerConfig: config.toString()], ctx)

        then:
        outputs.imageId.startsWith('sha256:')
        ctx.lines[0] == "pulling $image as ${registry.user} (credentials from ${config.resolve('config.json')})"
    }

    def "a wrong password is refused by the registry"() {
        when:
        pull([registryUser: registry.user, registryPassword: 'wrong-password'])

        then:
        def e = thrown(StepFailedException)
        e.message.startsWith("registry ${registry.address} refused the credentials of user '${registry.user}' (from arguments) for $image")
        !e.message.contains('Exception')
    }

    def "no credentials for a registry that requires them"() {
        when:
        pull([dockerConfig: dir.toString()])

        then:
        def e = thrown(StepFailedException)
        e.message.startsWith("registry ${registry.address} requires credentials for $image: give registryUser and registryPassword, or run docker login")
    }

    def "an image the registry does not have"() {
        when:
        String missing = "${registry.address}/lockstep-spec/web:no-such-tag"
        DockerTestbed.step('pullImage', 'pull', [image: missing, registryUser: registry.user, registryPassword: registry.password])
                .build().action().execute(new TestStepContext(dir))

        then:
        def e = thrown(StepFailedException)
        e.message.startsWith("image ${registry.address}/lockstep-spec/web:no-such-tag not found in registry ${registry.address}")
    }

    /** The testbed's registry, from the environment or the testbed's env.properties. */
    static Map<String, String> testbedRegistry() {
        if (!TestbedSettings.find('REGISTRY')) {
            throw new IllegalStateException('these specs need the testbed\'s image registry: run src/testbed/up ' +
                    '(or set LOCKSTEP_TESTBED_HOME, or LOCKSTEP_TESTBED_REGISTRY, _USER and _PASSWORD)')
        }
        [address : TestbedSettings.find('REGISTRY'),
         user    : TestbedSettings.find('REGISTRY_USER'),
         password: TestbedSettings.find('REGISTRY_PASSWORD')]
    }
}
