package io.lockstep.docker

import io.lockstep.testing.TestbedSettings
import com.github.dockerjava.api.model.AuthConfig

import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.TimeUnit

/**
 * The real compose CLI and registry the compose specs use: two tags of DockerTestbed's web image
 * pushed to the testbed's password-protected registry, the Docker CLI config holding its login
 * (LOCKSTEP_TESTBED_DOCKER_CONFIG), and compose projects with names of their own, taken down after
 * each feature. A missing part fails the specs and says how to start it.
 */
class ComposeTestbed {

    /** The CLI the specs call themselves, for setup and cleanup; the steps find theirs on PATH. */
    static final String CLI = TestbedSettings.find('COMPOSE') ?: 'docker-compose'

    private static List<String> pushed

    /** The directory whose config.json holds the registry login (use it as DOCKER_CONFIG). */
    static String dockerConfig() {
        String dir = TestbedSettings.find('DOCKER_CONFIG')
        if (!dir || !Files.isRegularFile(Path.of(dir, 'config.json'))) {
            throw new IllegalStateException('these specs need the testbed\'s Docker CLI config with the registry ' +
                    'login: run src/testbed/up (or set LOCKSTEP_TESTBED_HOME or LOCKSTEP_TESTBED_DOCKER_CONFIG)')
        }
        dir
    }

    /** REGISTRY/lockstep-spec/compose-web:1 and :2 (versions 1 and 2 of the web image), pushed once per JVM. */
    static synchronized List<String> webImages() {
        if (pushed != null) {
            return pushed
        }
        DockerTestbed.ensureImages()
        Map<String, String> registry = PullImageSpec.testbedRegistry()
        String repository = "${registry.address}/lockstep-spec/compose-web"
        Docker docker = DockerTestbed.lease()
        try {
            [(DockerTestbed.V1): '1', (DockerTestbed.V2): '2'].each { source, tag ->
                docker.client().tagImageCmd(source, repository, tag).exec()
                docker.client().pushImageCmd("$repository:$tag")
                        .withAuthConfig(new AuthConfig().withUsername(registry.user).withPassword(registry.password)
                                .withRegistryAddress(registry.address))
                        .start().awaitCompletion()
            }
        } finally {
            docker.close()
        }
        pushed = ["$repository:1".toString(), "$repository:2".toString()]
    }

    /** A project name no other spec (or concurrent build) uses; compose 1 keeps [a-z0-9] of it. */
    static String project() {
        'lockstepspec' + Long.toHexString(System.nanoTime()) + new Random().nextInt(1000)
    }

    /** A compose file with the web service on {@code image}, published on 127.0.0.1:{@code port}. */
    static String composeFile(String image, int port) {
        """\
            # a compose file as an operator keeps it
            version: "3.8"
            services:
              web:
                image: $image   # upgraded by the playbook
                ports:
                  - "127.0.0.1:$port:8080"
                stop_grace_period: 1s
            """.stripIndent()
    }

    /** Runs the compose CLI for a spec's own setup or cleanup; fails with its output. */
    static String compose(Path file, String project, String... args) {
        List<String> argv = [CLI, '-f', file.toString(), '-p', project] + args.toList()
        ProcessBuilder builder = new ProcessBuilder(argv).directory(file.parent.toFile()).redirectErrorStream(true)
        builder.environment().DOCKER_CONFIG = dockerConfig()
        Process process = builder.start()
        String output = process.inputStream.text
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("${argv.join(' ')} failed: $output")
        }
        output
    }

    /** Takes the project down (containers and network); a project that is not up is fine. */
    static void down(Path file, String project) {
        if (file != null && Files.isRegularFile(file)) {
            try {
                compose(file, project, 'down', '-t', '0', '--remove-orphans')
            } catch (IllegalStateException ignored) {
                // nothing to take down
            }
        }
    }
}
