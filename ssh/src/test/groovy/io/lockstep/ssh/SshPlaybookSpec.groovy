package io.lockstep.ssh

import io.lockstep.dsl.PlaybookLoader
import io.lockstep.engine.Lockstep
import io.lockstep.engine.RunOptions
import io.lockstep.engine.RunResult
import io.lockstep.engine.RunStatus
import io.lockstep.engine.journal.FileJournalStore
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path

/** A real playbook and environment: targets carry host, port, user and keys; a rolling block runs the SSH steps on each. */
class SshPlaybookSpec extends Specification {

    @Shared
    @TempDir
    Path sshDir

    @Shared
    SshTestbed sshd

    @TempDir
    Path dir

    def setupSpec() {
        sshd = new SshTestbed(sshDir)
    }

    def cleanupSpec() {
        sshd?.close()
    }

    def "a rolling block runs ssh, uploadFile and downloadFile on each target, over one connection for the same user, host and port"() {
        given:
        Path remote = Files.createDirectories(dir.resolve('remote'))
        Files.writeString(dir.resolve('app.conf'), 'listen 8080\n')
        Files.writeString(dir.resolve('env.groovy'), """
            environment('testbed') {
                targets {
                    target 'gw-1', roles: ['gateway'], host: '127.0.0.1', port: ${sshd.port}, user: 'root',
                        identity: '${sshd.identity}', knownHosts: '${sshd.knownHosts}'
                    target 'gw-2', roles: ['gateway'], host: '127.0.0.1', port: ${sshd.port}, user: 'root',
                        identity: '${sshd.identity}', knownHosts: '${sshd.knownHosts}'
                }
            }""")
        Files.writeString(dir.resolve('upgrade.groovy'), """
            playbook('gateways') {
                phase('upgrade') {
                    rolling('hosts', over: targets(role: 'gateway'), batches: [1]) { t ->
                        ssh 'whoami', args: ['sh', '-c', 'echo "\$1 as \$(id -un)"', 'sh', t.name]
                        uploadFile 'config', source: 'app.conf', path: "${remote}/\${t.name}.conf", mode: '0600', sudo: true
                        downloadFile 'back', path: "${remote}/\${t.name}.conf"
                    }
                }
            }""")
        int before = sshd.logins()

        when:
        RunResult result = Lockstep.builder().store(new FileJournalStore(dir.resolve('runs'))).build()
                .run(PlaybookLoader.create().load(dir.resolve('upgrade.groovy'), dir.resolve('env.groovy'), [:]), RunOptions.DEFAULTS)

        then:
        result.status() == RunStatus.SUCCEEDED
        Map outputs = result.outputs()
        outputs.findAll { k, v -> k.contains('whoami') }.collectEntries { k, v -> [k, v.stdout] } ==
                ['upgrade/hosts/whoami@gw-1': 'gw-1 as root', 'upgrade/hosts/whoami@gw-2': 'gw-2 as root']
        ['gw-1', 'gw-2'].every { Files.readString(remote.resolve("${it}.conf")) == 'listen 8080\n' }
        outputs.findAll { k, v -> k.contains('/back@') }.values()*.sha256.unique().size() == 1
        outputs.findAll { k, v -> k.contains('/back@') }.size() == 2
        sshd.logins() - before == 1
    }
}
