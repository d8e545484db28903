package io.lockstep.ssh

import io.lockstep.engine.model.Target
import io.lockstep.engine.spi.StepType

import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.TimeUnit

/**
 * A real OpenSSH server of the spec's own on 127.0.0.1 and a free port: a fresh ed25519 host key,
 * a generated client key authorized for root, a known_hosts file that lists the host key. Its -e
 * log counts the logins. Needs /usr/sbin/sshd (src/testbed/up installs it) and root.
 */
class SshTestbed implements Closeable {

    static final String SSHD = '/usr/sbin/sshd'

    final Path dir
    final int port
    final Path identity
    final Path knownHosts
    final Path hostKey
    final Path log
    private Process sshd

    SshTestbed(Path dir) {
        if (!Files.isExecutable(Path.of(SSHD))) {
            throw new IllegalStateException("$SSHD is missing: run src/testbed/up (as root) to install openssh-server and sudo")
        }
        this.dir = dir
        this.port = freePort()
        this.identity = dir.resolve('id_test')
        this.knownHosts = dir.resolve('known_hosts')
        this.hostKey = dir.resolve('host_ed25519')
        this.log = dir.resolve('sshd.log')
        keygen(hostKey)
        keygen(identity)
        Files.copy(dir.resolve('id_test.pub'), dir.resolve('authorized_keys'))
        Files.writeString(knownHosts, "[127.0.0.1]:$port ${Files.readString(dir.resolve('host_ed25519.pub')).trim()}\n")
        Files.writeString(dir.resolve('sshd_config'), """\
            Port $port
            ListenAddress 127.0.0.1
            HostKey $hostKey
            AuthorizedKeysFile ${dir.resolve('authorized_keys')}
            PermitRootLogin prohibit-password
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            UsePAM no
            StrictModes no
            PidFile none
            MaxStartups 100
            MaxSessions 100
            Subsystem sftp internal-sftp
            """.stripIndent())
        // privilege separation directory sshd insists on
        Files.createDirectories(Path.of('/run/sshd'))
        start()
    }

    /** Starts sshd (again) on the same port, appending to the same log. */
    void start() {
        sshd = new ProcessBuilder(SSHD, '-D', '-e', '-f', dir.resolve('sshd_config').toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start()
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10)
        while (!listening()) {
            if (!sshd.alive) {
                throw new IllegalStateException("sshd exited with ${sshd.exitValue()}: ${Files.readString(log)}")
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("sshd did not listen on $port within 10s: ${Files.readString(log)}")
            }
            Thread.sleep(20)
        }
    }

    /** Stops the listener and every connection it serves. */
    void stop() {
        connectionPids().each { ProcessHandle.of(it).ifPresent { it.destroyForcibly() } }
        sshd?.destroy()
        sshd?.waitFor(10, TimeUnit.SECONDS)
    }

    /** Kills the sshd processes serving connections: the server dropping them. */
    void dropConnections() {
        List<Long> pids = connectionPids()
        pids.each { ProcessHandle.of(it).ifPresent { it.destroyForcibly() } }
        pids.each { pid -> ProcessHandle.of(pid).ifPresent { it.onExit().get(5, TimeUnit.SECONDS) } }
    }

    /** The per-connection sshd processes (the listener's children). */
    List<Long> connectionPids() {
        sshd == null ? [] : sshd.toHandle().children().map { it.pid() }.toList()
    }

    int logins() {
        Files.readString(log).readLines().count { it.contains('Accepted publickey') } as int
    }

    /** Connection settings for steps: to use as step arguments or target attributes. */
    Map<String, Object> settings() {
        [host: '127.0.0.1', port: port, user: 'root', identity: identity.toString(), knownHosts: knownHosts.toString()]
    }

    Target target(String name = 'host-1') {
        new Target(name, settings())
    }

    @Override
    void close() {
        stop()
        Files.copy(log, Path.of('/tmp/sshd-debug.log'), java.nio.file.StandardCopyOption.REPLACE_EXISTING)
    }

    static void keygen(Path file) {
        run('ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-C', 'lockstep-spec', '-f', file.toString())
    }

    static String run(String... argv) {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start()
        String out = p.inputStream.text
        if (p.waitFor() != 0) {
            throw new IllegalStateException("${argv.toList()} exited with ${p.exitValue()}: $out")
        }
        out
    }

    boolean listening() {
        try {
            new Socket('127.0.0.1', port).close()
            true
        } catch (IOException ignored) {
            false
        }
    }

    static int freePort() {
        new ServerSocket(0, 1, InetAddress.loopbackAddress).withCloseable { it.localPort }
    }

    static final ServiceLoader<StepType> TYPES = ServiceLoader.load(StepType)

    /** A step built the way the DSL builds it: defaults filled in, then the given arguments. */
    static io.lockstep.engine.model.Step.Builder step(String type, String id, Map args) {
        StepType stepType = TYPES.find { it.name() == type }
        if (stepType == null) {
            throw new IllegalStateException("no step type $type")
        }
        Map all = [:]
        stepType.arguments().each { if (it.defaultValue() != null) all[it.name()] = it.defaultValue() }
        stepType.create(id, all + args)
    }
}
