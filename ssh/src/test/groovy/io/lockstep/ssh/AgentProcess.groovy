package io.lockstep.ssh

import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.TimeUnit

/**
 * A real OpenSSH ssh-agent of a spec's own, listening on a socket the spec names, with the keys the
 * spec adds through ssh-add. Needs openssh-client (src/testbed/up installs it): missing, it fails
 * the spec rather than skipping it, as a missing sshd does.
 */
class AgentProcess implements Closeable {

    final Path socket
    private final Process process

    private AgentProcess(Path socket, Process process) {
        this.socket = socket
        this.process = process
    }

    /** Starts ssh-agent in the foreground (-D) on {@code socket}, replacing a stale socket file. */
    static AgentProcess start(Path socket) {
        if (!onPath('ssh-agent') || !onPath('ssh-add')) {
            throw new IllegalStateException('ssh-agent or ssh-add is missing: install openssh-client (src/testbed/up does)' +
                    (System.getenv('CI') == 'true' ? ', which CI=true requires' : ''))
        }
        Files.createDirectories(socket.parent)
        Files.deleteIfExists(socket)
        Process process = new ProcessBuilder('ssh-agent', '-D', '-a', socket.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start()
        AgentProcess agent = new AgentProcess(socket, process)
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10)
        while (!Files.exists(socket)) {
            if (!process.alive) {
                throw new IllegalStateException("ssh-agent exited with ${process.exitValue()}")
            }
            if (System.nanoTime() > deadline) {
                agent.close()
                throw new IllegalStateException("ssh-agent did not create $socket within 10s")
            }
            Thread.sleep(20)
        }
        agent
    }

    /** Adds private keys, as ssh-add does for a user. */
    AgentProcess add(Path... keys) {
        keys.each { ssh('ssh-add', '-q', it.toString()) }
        this
    }

    /** {@code ssh-add -l -E sha256}: one line per key, "BITS SHA256:... COMMENT (TYPE)". */
    List<String> list() {
        ssh('ssh-add', '-l', '-E', 'sha256').readLines()
    }

    private String ssh(String... argv) {
        ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true)
        builder.environment().put('SSH_AUTH_SOCK', socket.toString())
        Process p = builder.start()
        String out = p.inputStream.text
        if (p.waitFor() != 0) {
            throw new IllegalStateException("${argv.toList()} exited with ${p.exitValue()}: $out")
        }
        out
    }

    @Override
    void close() {
        process.destroy()
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly()
        }
        Files.deleteIfExists(socket)
    }

    private static boolean onPath(String program) {
        System.getenv('PATH').split(File.pathSeparator).any { Files.isExecutable(Path.of(it, program)) }
    }
}
