package io.lockstep.docker

import com.github.dockerjava.api.DockerClient
import com.github.dockerjava.api.command.BuildImageResultCallback
import com.github.dockerjava.api.model.ExposedPort
import com.github.dockerjava.api.model.HostConfig
import com.github.dockerjava.api.model.PortBinding
import com.github.dockerjava.api.model.RestartPolicy
import io.lockstep.engine.spi.StepTypes
import org.apache.commons.compress.archivers.tar.TarArchiveEntry
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream

import java.nio.file.Files
import java.nio.file.Path

/**
 * The real Docker daemon the specs use, and the images they build on it: a busybox root file system
 * imported from Debian's static busybox, and two tags of a small web image serving /www/VERSION.
 * A daemon that does not answer fails the specs (never skips them): with CI=true and without.
 */
class DockerTestbed {

    static final String HOST = System.getenv('DOCKER_HOST') ?: 'unix:///var/run/docker.sock'
    static final String BASE = '127.0.0.1/lockstep-spec/busybox:base'
    static final String REPO = '127.0.0.1/lockstep-spec/web'
    static final String V1 = "${REPO}:1"
    static final String V2 = "${REPO}:2"
    static final String LABEL = 'io.lockstep.spec'

    static final StepTypes TYPES = StepTypes.load(DockerTestbed.classLoader)
    private static boolean imagesBuilt

    static Docker lease() {
        DockerClients.lease(HOST)
    }

    /** Fails with what to do when the daemon does not answer; builds the images once per JVM. */
    static synchronized void ensureImages() {
        Docker docker = lease()
        try {
            try {
                docker.call('ping') { docker.client().pingCmd().exec() }
            } catch (Exception e) {
                throw new IllegalStateException("these specs need a Docker daemon at $HOST " +
                        "(start it with src/testbed/up)${System.getenv('CI') == 'true' ? ' and CI=true requires it' : ''}: " +
                        e.message, e)
            }
            if (imagesBuilt) {
                return
            }
            importBase(docker.client())
            buildWeb(docker.client(), V1, '1')
            buildWeb(docker.client(), V2, '2')
            imagesBuilt = true
        } finally {
            docker.close()
        }
    }

    /** The step types' StepType, with defaults filled in as the DSL does. */
    static io.lockstep.engine.model.Step.Builder step(String type, String id, Map args) {
        def stepType = TYPES.find(type).orElseThrow { new IllegalStateException("no step type $type") }
        Map all = [:]
        stepType.arguments().each { if (it.defaultValue() != null) all[it.name()] = it.defaultValue() }
        stepType.create(id, all + args)
    }

    static int freePort() {
        new ServerSocket(0, 1, InetAddress.loopbackAddress).withCloseable { it.localPort }
    }

    static String http(int port, String path) {
        new URL("http://127.0.0.1:$port$path").getText(connectTimeout: 2000, readTimeout: 2000).trim()
    }

    /** Polls until the URL answers, for up to 15 s. */
    static String awaitHttp(int port, String path) {
        long deadline = System.currentTimeMillis() + 15_000
        while (true) {
            try {
                return http(port, path)
            } catch (IOException e) {
                if (System.currentTimeMillis() > deadline) {
                    throw e
                }
                Thread.sleep(100)
            }
        }
    }

    /**
     * A container as an operator would start it with docker run: env, a published 127.0.0.1 port, a
     * named volume, labels, a restart policy, a command, a user network with an alias.
     */
    static String runWeb(DockerClient client, String name, String image, int hostPort, String network, String volume) {
        def cmd = client.createContainerCmd(image)
                .withName(name)
                .withEnv('GREETING=hello', 'APP_MODE=blue')
                .withLabels([(LABEL): 'yes', team: 'portal'])
                .withCmd('sh', '-c', 'trap "exit 0" TERM; echo "started version $APP_VERSION in $APP_MODE"; httpd -f -v -p 8081 -h /www & wait')
                .withExposedPorts(ExposedPort.tcp(8081))
                .withHostConfig(HostConfig.newHostConfig()
                        .withPortBindings(PortBinding.parse("127.0.0.1:${hostPort}:8081"))
                        .withBinds(com.github.dockerjava.api.model.Bind.parse("${volume}:/data"))
                        .withRestartPolicy(RestartPolicy.unlessStoppedRestart())
                        .withNetworkMode(network))
                .withAliases('web')
        String id = cmd.exec().id
        client.startContainerCmd(id).exec()
        id
    }

    /** Removes the spec's containers, then volumes and networks by name (missing ones are fine). */
    static void cleanup(DockerClient client, List<String> containers, List<String> volumes = [], List<String> networks = []) {
        containers.each { name ->
            try { client.removeContainerCmd(name).withForce(true).exec() } catch (Exception ignored) { }
        }
        volumes.each { try { client.removeVolumeCmd(it).exec() } catch (Exception ignored) { } }
        networks.each { try { client.removeNetworkCmd(it).exec() } catch (Exception ignored) { } }
    }

    private static void importBase(DockerClient client) {
        Path busybox = Path.of('/bin/busybox')
        if (!Files.isExecutable(busybox)) {
            throw new IllegalStateException('these specs build their image from Debian\'s static busybox: apt-get install busybox-static')
        }
        List<String> applets = ['/bin/busybox', '--list'].execute().text.readLines().findAll { it && it != 'busybox' }
        Path context = Files.createTempDirectory('lockstep-spec-base')
        new TarArchiveOutputStream(Files.newOutputStream(context.resolve('rootfs.tar'))).withCloseable { out ->
            out.longFileMode = TarArchiveOutputStream.LONGFILE_POSIX
            ['bin/', 'etc/', 'tmp/', 'www/', 'data/'].each { dir ->
                TarArchiveEntry entry = new TarArchiveEntry(dir)
                entry.mode = dir == 'tmp/' ? 01777 : 0755
                out.putArchiveEntry(entry)
                out.closeArchiveEntry()
            }
            TarArchiveEntry bin = new TarArchiveEntry(busybox.toFile(), 'bin/busybox')
            bin.mode = 0755
            out.putArchiveEntry(bin)
            Files.copy(busybox, out)
            out.closeArchiveEntry()
            applets.each { applet ->
                TarArchiveEntry link = new TarArchiveEntry("bin/$applet", TarArchiveEntry.LF_SYMLINK)
                link.linkName = 'busybox'
                out.putArchiveEntry(link)
                out.closeArchiveEntry()
            }
            [['etc/passwd', 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n'],
             ['etc/group', 'root:x:0:\nnogroup:x:65534:\n']].each { name, text ->
                byte[] bytes = text.bytes
                TarArchiveEntry entry = new TarArchiveEntry(name)
                entry.size = bytes.length
                entry.mode = 0644
                out.putArchiveEntry(entry)
                out.write(bytes)
                out.closeArchiveEntry()
            }
        }
        try {
            Files.writeString(context.resolve('Dockerfile'), 'FROM scratch\nADD rootfs.tar /\nENV PATH=/bin\nCMD ["sh"]\n')
            client.buildImageCmd(context.toFile()).withTags([BASE] as Set).withPull(false)
                    .exec(new BuildImageResultCallback()).awaitImageId()
        } finally {
            context.toFile().deleteDir()
        }
    }

    private static void buildWeb(DockerClient client, String tag, String version) {
        Path context = Files.createTempDirectory('lockstep-spec-image')
        try {
            Files.createDirectories(context.resolve('www'))
            Files.writeString(context.resolve('www/VERSION'), version + '\n')
            Files.writeString(context.resolve('Dockerfile'), """\
                FROM ${BASE}
                COPY www /www
                ENV PATH=/bin APP_VERSION=${version} APP_MODE=green
                LABEL ${LABEL}.image=web version=${version}
                EXPOSE 8080
                HEALTHCHECK --interval=1s --timeout=2s --retries=2 CMD wget -q -O /dev/null http://127.0.0.1:8081/VERSION || exit 1
                CMD ["httpd", "-f", "-v", "-p", "8080", "-h", "/www"]
                """.stripIndent())
            client.buildImageCmd(context.toFile()).withTags([tag] as Set).withPull(false)
                    .exec(new BuildImageResultCallback()).awaitImageId()
        } finally {
            context.toFile().deleteDir()
        }
    }
}
