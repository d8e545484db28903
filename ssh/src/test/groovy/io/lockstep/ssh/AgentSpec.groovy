package io.lockstep.ssh

import io.lockstep.steps.StepFailedException
import io.lockstep.testing.TestStepContext
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.TempDir

import java.net.StandardProtocolFamily
import java.net.UnixDomainSocketAddress
import java.nio.channels.ServerSocketChannel
import java.nio.file.Files
import java.nio.file.Path

/**
 * Login with the keys of a real ssh-agent, against a real sshd (OpenSSH 8.8 or later, which refuses
 * ssh-rsa signatures). The build points SSH_AUTH_SOCK at a socket of its own and user.home at a
 * home without keys, so neither the developer's agent nor their keys take part.
 */
class AgentSpec extends Specification {

    @Shared
    @TempDir
    Path sshDir

    @Shared
    SshTestbed sshd

    @Shared
    Path ed25519, rsa, stranger

    Path sockets
    TestStepContext ctx
    final List<AgentProcess> agents = []

    def setupSpec() {
        sshd = new SshTestbed(sshDir)
        ed25519 = key('ed25519', 'agent-ed25519')
        rsa = key('rsa', 'agent-rsa')
        stranger = key('ed25519', 'stranger')
        // the server reads authorized_keys at each login
        Files.writeString(sshd.dir.resolve('authorized_keys'), Files.readString(pub(ed25519)) + Files.readString(pub(rsa)),
                java.nio.file.StandardOpenOption.APPEND)
    }

    def cleanupSpec() {
        sshd?.close()
    }

    def setup() {
        // Unix socket paths are short (108 bytes): not under the spec's long temp names
        sockets = Files.createTempDirectory('agent')
        ctx = new TestStepContext(sshDir)
    }

    def cleanup() {
        ctx.close()
        agents.each { it.close() }
        sockets.toFile().deleteDir()
    }

    private static Path key(String type, String comment) {
        Path file = Files.createTempDirectory('keys').resolve("id_$comment")
        SshTestbed.run('ssh-keygen', '-q', '-t', type, '-N', '', '-C', comment, '-f', file.toString())
        file
    }

    private static Path pub(Path key) {
        Path.of("${key}.pub")
    }

    private static String fingerprint(Path key) {
        SshTestbed.run('ssh-keygen', '-l', '-E', 'sha256', '-f', pub(key).toString()).split(' ')[1]
    }

    /** An agent on a socket of this feature's, holding {@code keys}. */
    private AgentProcess agent(Path... keys) {
        agentAt(sockets.resolve('agent.sock'), keys)
    }

    private AgentProcess agentAt(Path socket, Path... keys) {
        AgentProcess agent = AgentProcess.start(socket)
        agents << agent
        agent.add(keys)
    }

    /** The connection settings of the testbed without its identity: the agent is to log in. */
    private Map<String, Object> noIdentity() {
        sshd.settings().findAll { it.key != 'identity' }
    }

    private Map<String, Object> run(Map settings) {
        SshTestbed.step('ssh', 'step', [args: ['true']] + settings).build().action().execute(ctx)
    }

    private boolean accepted(String type, Path key) {
        Files.readString(sshd.log).readLines().any { it.startsWith('Accepted publickey') && it.endsWith("ssh2: $type ${fingerprint(key)}") }
    }

    def "the agent client lists the keys ssh-add lists, with their fingerprints and comments"() {
        given:
        AgentProcess agent = agent(ed25519, rsa)

        when:
        List<AgentIdentity> keys = SshAgent.connect(agent.socket).withCloseable { it.identities() }

        then:
        keys*.keyType() == ['ssh-ed25519', 'ssh-rsa']
        keys*.comment() == ['agent-ed25519', 'agent-rsa']
        keys*.fingerprint() == agent.list().collect { it.split(' ')[1] }
        keys*.fingerprint() == [fingerprint(ed25519), fingerprint(rsa)]
    }

    def "without an identity, the ssh step logs in with a key of the agent SSH_AUTH_SOCK names"() {
        given:
        Path socket = Path.of(System.getenv('SSH_AUTH_SOCK'))
        agentAt(socket, ed25519, rsa)

        expect:
        run(noIdentity()).exitCode == 0
        accepted('ED25519', ed25519)
    }

    def "an agent holding only an RSA key logs in with an rsa-sha2 signature, which OpenSSH requires"() {
        given:
        AgentProcess agent = agent(rsa)

        expect:
        run(noIdentity() + [agent: agent.socket.toString()]).exitCode == 0
        accepted('RSA', rsa)
    }

    def "the agent socket may come from a target attribute, and every agent key is tried in turn"() {
        given: 'the first key is one the server does not know'
        AgentProcess agent = agent(stranger, ed25519)
        ctx.target = new io.lockstep.engine.model.Target('host-1', noIdentity() + [agent: agent.socket.toString()])

        expect:
        run([:]).exitCode == 0
        accepted('ED25519', ed25519)
    }

    def "keys the server refuses fail the step, listing each key the agent offered"() {
        given:
        AgentProcess agent = agent(stranger)

        when:
        run(noIdentity() + [agent: agent.socket.toString()])

        then:
        StepFailedException e = thrown()
        e.message == "ssh root@127.0.0.1:${sshd.port}: the server refused every key offered for user 'root': from the ssh-agent at ${agent.socket}: ssh-ed25519 key ${fingerprint(stranger)} (stranger); add the public key to that user's authorized_keys on the host, add the right key to the agent (ssh-add), or set identity (or user) on the step or target"
    }

    def "with both an identity and the agent set, the agent's keys come first, then the identity file"() {
        given:
        AgentProcess agent = agent(stranger)

        expect:
        run(sshd.settings() + [agent: agent.socket.toString()]).exitCode == 0
        accepted('ED25519', sshd.identity)

        when: 'neither is authorized: both are named'
        ctx.close()
        run(noIdentity() + [agent: agent.socket.toString(), identity: stranger.toString()])

        then:
        StepFailedException e = thrown()
        e.message.contains(": from the ssh-agent at ${agent.socket}: ssh-ed25519 key ${fingerprint(stranger)} (stranger); the identity file $stranger; add the public key")
    }

    def "an identity that is set is used alone: the agent at SSH_AUTH_SOCK is not asked"() {
        given: 'the agent holds a key the server accepts'
        agentAt(Path.of(System.getenv('SSH_AUTH_SOCK')), ed25519)

        when:
        run(noIdentity() + [identity: stranger.toString()])

        then:
        StepFailedException e = thrown()
        e.message == "ssh root@127.0.0.1:${sshd.port}: the server refused the key $stranger for user 'root'; add its public key to that user's authorized_keys on the host, or set identity (or user) on the step or target"
    }

    def "a missing agent socket is named, with what to do"() {
        given:
        Path socket = sockets.resolve('gone.sock')

        when:
        run(noIdentity() + [agent: socket.toString()])

        then:
        StepFailedException e = thrown()
        e.message == "ssh root@127.0.0.1:${sshd.port}: the ssh-agent socket $socket (from the agent setting) does not exist; start ssh-agent (eval \$(ssh-agent); ssh-add) and point SSH_AUTH_SOCK or the agent setting at its socket, or set identity on the step or target to a private key file"
    }

    def "a socket no agent listens on any more is named"() {
        given: 'a socket file left behind by an agent that is gone'
        Path socket = sockets.resolve('stale.sock')
        ServerSocketChannel.open(StandardProtocolFamily.UNIX).withCloseable { it.bind(UnixDomainSocketAddress.of(socket)) }

        when:
        run(noIdentity() + [agent: socket.toString()])

        then:
        StepFailedException e = thrown()
        e.message.startsWith("ssh root@127.0.0.1:${sshd.port}: cannot reach an ssh-agent at $socket (from the agent setting): ")
        e.message.endsWith('; start ssh-agent (eval $(ssh-agent); ssh-add) and point SSH_AUTH_SOCK or the agent setting at its socket, or set identity on the step or target to a private key file')
    }

    def "an agent without keys is named"() {
        given:
        AgentProcess agent = agent()

        when:
        run(noIdentity() + [agent: agent.socket.toString()])

        then:
        StepFailedException e = thrown()
        e.message == "ssh root@127.0.0.1:${sshd.port}: the ssh-agent at ${agent.socket} (from the agent setting) holds no keys; add the key to log in with (ssh-add ~/.ssh/id_ed25519), or set identity on the step or target to a private key file"
    }

    def "agent: false without an identity says there is no key, and what to do"() {
        given:
        Path home = Path.of(System.getProperty('user.home'))

        when:
        run(noIdentity() + [agent: false])

        then:
        StepFailedException e = thrown()
        e.message == "ssh root@127.0.0.1:${sshd.port}: no key to log in with: no identity is set, none of ${home.resolve('.ssh')}/id_ed25519, id_ecdsa, id_rsa exists, and agent is false; set identity on the step or target to a private key file, or start ssh-agent with the key (eval \$(ssh-agent); ssh-add) so that SSH_AUTH_SOCK names its socket"
    }

    def "a stale SSH_AUTH_SOCK does not stop a login with the default key file, but is named if that fails"() {
        given: 'no agent listens at SSH_AUTH_SOCK, and the home holds a default key'
        Path socket = Path.of(System.getenv('SSH_AUTH_SOCK'))
        Files.deleteIfExists(socket)
        Path home = Path.of(System.getProperty('user.home'))
        Path defaultKey = home.resolve('.ssh/id_ed25519')
        Files.createDirectories(defaultKey.parent)
        Files.copy(sshd.identity, defaultKey)

        expect:
        run(noIdentity()).exitCode == 0

        when: 'the default key is not one the server knows'
        ctx.close()
        Files.copy(stranger, defaultKey, java.nio.file.StandardCopyOption.REPLACE_EXISTING)
        run(noIdentity())

        then:
        StepFailedException e = thrown()
        e.message == "ssh root@127.0.0.1:${sshd.port}: the server refused the key $defaultKey for user 'root'; add its public key to that user's authorized_keys on the host, or set identity (or user) on the step or target (the ssh-agent socket $socket (from SSH_AUTH_SOCK) does not exist)"

        cleanup:
        home.resolve('.ssh').toFile().deleteDir()
    }
}
