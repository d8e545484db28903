package io.lockstep.ssh

import io.lockstep.testing.TestStepContext
import io.lockstep.steps.StepFailedException
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path

/** Host keys checked strictly against known_hosts, and identities refused clearly, by a real sshd. */
class ConnectSpec extends Specification {

    @Shared
    @TempDir
    Path sshDir

    @Shared
    SshTestbed sshd

    @TempDir
    Path dir

    TestStepContext ctx

    def setupSpec() {
        sshd = new SshTestbed(sshDir)
    }

    def cleanupSpec() {
        sshd?.close()
    }

    def setup() {
        ctx = new TestStepContext(dir)
    }

    def cleanup() {
        ctx.close()
    }

    private Map<String, Object> run(Map settings) {
        SshTestbed.step('ssh', 'step', [args: ['true']] + settings).build().action().execute(ctx)
    }

    private String hostKeyFingerprint() {
        SshTestbed.run('ssh-keygen', '-l', '-E', 'sha256', '-f', sshd.hostKey.toString() + '.pub').split(' ')[1]
    }

    def "an unknown host key stops the step, naming the host, the key offered and the file checked"() {
        given:
        Path knownHosts = dir.resolve('known_hosts')
        Files.writeString(knownHosts, '')

        when:
        run(sshd.settings() + [knownHosts: knownHosts.toString()])

        then:
        StepFailedException e = thrown()
        e.message.startsWith("ssh root@127.0.0.1:${sshd.port}: host key of [127.0.0.1]:${sshd.port} is not known: the server offered ssh-ed25519 key ${hostKeyFingerprint()}, and $knownHosts has no key for it.")
        e.message.contains("ssh-keyscan -p ${sshd.port} 127.0.0.1 >> $knownHosts")
        e.message.endsWith('or set acceptNewHostKeys: true to record it on the first connection')
        Files.readString(knownHosts) == ''
    }

    def "a missing known_hosts file is named as missing"() {
        when:
        run(sshd.settings() + [knownHosts: dir.resolve('nothing-here').toString()])

        then:
        StepFailedException e = thrown()
        e.message.contains("and ${dir.resolve('nothing-here')} does not exist.")
    }

    def "a changed host key is refused, also when new keys are accepted"() {
        given: 'known_hosts lists another ed25519 key for the host'
        Path other = dir.resolve('other_host_key')
        SshTestbed.keygen(other)
        Path knownHosts = dir.resolve('known_hosts')
        Files.writeString(knownHosts, "[127.0.0.1]:${sshd.port} ${Files.readString(Path.of(other.toString() + '.pub')).trim()}\n")

        when:
        run(sshd.settings() + [knownHosts: knownHosts.toString(), acceptNewHostKeys: accept])

        then:
        StepFailedException e = thrown()
        e.message.startsWith("ssh root@127.0.0.1:${sshd.port}: host key of [127.0.0.1]:${sshd.port} has CHANGED: the server offered ssh-ed25519 key ${hostKeyFingerprint()}, but $knownHosts holds a different ssh-ed25519 key for it.")
        e.message.contains("ssh-keygen -R '[127.0.0.1]:${sshd.port}' -f $knownHosts")
        Files.readString(knownHosts).readLines().size() == 1

        where:
        accept << [false, true]
    }

    def "acceptNewHostKeys records an unknown key, which later connections then check"() {
        given:
        Path knownHosts = dir.resolve('ssh/known_hosts')

        when:
        run(sshd.settings() + [knownHosts: knownHosts.toString(), acceptNewHostKeys: true])

        then: 'the line is the one OpenSSH writes, and ssh-keygen finds it'
        Files.readString(knownHosts) == "[127.0.0.1]:${sshd.port} ${Files.readString(Path.of(sshd.hostKey.toString() + '.pub')).trim().split(' ')[0..1].join(' ')}\n"
        SshTestbed.run('ssh-keygen', '-F', "[127.0.0.1]:${sshd.port}", '-f', knownHosts.toString()).contains('ssh-ed25519')

        when: 'without the opt-in, the recorded key now lets the step in'
        ctx.close()
        run(sshd.settings() + [knownHosts: knownHosts.toString()])

        then:
        noExceptionThrown()
        Files.readString(knownHosts).readLines().size() == 1
    }

    def "a hashed known_hosts entry is honoured"() {
        given:
        Path knownHosts = dir.resolve('known_hosts')
        Files.copy(sshd.knownHosts, knownHosts)
        SshTestbed.run('ssh-keygen', '-H', '-f', knownHosts.toString())

        expect:
        !Files.readString(knownHosts).contains('127.0.0.1')
        run(sshd.settings() + [knownHosts: knownHosts.toString()]).exitCode == 0
    }

    def "a key the server does not accept is refused, naming the key and the user"() {
        given:
        Path stranger = dir.resolve('id_stranger')
        SshTestbed.keygen(stranger)

        when:
        run(sshd.settings() + [identity: stranger.toString()])

        then:
        StepFailedException e = thrown()
        e.message == "ssh root@127.0.0.1:${sshd.port}: the server refused the key $stranger for user 'root'; add its public key to that user's authorized_keys on the host, or set identity (or user) on the step or target"
    }

    def "a missing identity file is named"() {
        when:
        run(sshd.settings() + [identity: dir.resolve('id_none').toString()])

        then:
        StepFailedException e = thrown()
        e.message == "ssh root@127.0.0.1:${sshd.port}: identity file ${dir.resolve('id_none')} does not exist; set identity on the step or target to the private key to log in with, or leave it unset to use the keys of ssh-agent"
    }

    def "an encrypted identity takes its passphrase from a secret"() {
        given: 'the authorized key, encrypted with a passphrase'
        Path encrypted = dir.resolve('id_encrypted')
        Files.copy(sshd.identity, encrypted)
        SshTestbed.run('ssh-keygen', '-q', '-p', '-N', 'open sesame', '-f', encrypted.toString())
        ctx.secrets['deploy-key'] = 'open sesame'

        expect:
        run(sshd.settings() + [identity: encrypted.toString(), passphraseSecret: 'deploy-key']).exitCode == 0

        when: 'without it'
        ctx.close()
        run(sshd.settings() + [identity: encrypted.toString()])

        then:
        StepFailedException e = thrown()
        e.message.startsWith("ssh root@127.0.0.1:${sshd.port}: cannot read identity $encrypted (")
        e.message.endsWith('if it is encrypted, set passphraseSecret to the name of the secret holding its passphrase')
    }

    def "settings come from the step's arguments before the target's attributes"() {
        given: 'a target pointing at a port nobody listens on'
        ctx.target = new io.lockstep.engine.model.Target('gw-1', sshd.settings() + [port: SshTestbed.freePort()])

        expect:
        run([port: sshd.port]).host == '127.0.0.1'

        when:
        run([:])

        then:
        StepFailedException e = thrown()
        e.message.contains('cannot connect')
        e.message.contains('check that the host is up and sshd listens on port')
    }
}
