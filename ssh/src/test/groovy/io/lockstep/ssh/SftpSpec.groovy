package io.lockstep.ssh

import io.lockstep.testing.TestStepContext
import io.lockstep.steps.StepFailedException
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.attribute.PosixFilePermissions
import java.security.MessageDigest

/** uploadFile and downloadFile over SFTP against a real sshd (the "host" is this machine). */
class SftpSpec extends Specification {

    @Shared
    @TempDir
    Path sshDir

    @Shared
    SshTestbed sshd

    @TempDir
    Path dir

    TestStepContext ctx
    Path remote

    def setupSpec() {
        sshd = new SshTestbed(sshDir)
    }

    def cleanupSpec() {
        sshd?.close()
    }

    def setup() {
        ctx = new TestStepContext(dir)
        ctx.target = sshd.target()
        remote = Files.createDirectories(dir.resolve('remote'))
    }

    def cleanup() {
        ctx.close()
    }

    private Map<String, Object> step(String type, Map args) {
        SshTestbed.step(type, 'step', args).build().action().execute(ctx)
    }

    private static String mode(Path file) {
        PosixFilePermissions.toString(Files.getPosixFilePermissions(file))
    }

    private static String sha256(byte[] bytes) {
        MessageDigest.getInstance('SHA-256').digest(bytes).encodeHex().toString()
    }

    def "uploads a file with its mode, replacing the old one by rename and leaving no temporary file"() {
        given:
        byte[] content = (0..<300_000).collect { (byte) (it * 31) } as byte[]
        Path local = dir.resolve('app.conf')
        Files.write(local, content)
        Path target = remote.resolve('app.conf')
        Files.writeString(target, 'old')
        Object oldInode = Files.getAttribute(target, 'unix:ino')

        when:
        Map out = step('uploadFile', [source: 'app.conf', path: target.toString(), mode: '0640'])

        then:
        Files.readAllBytes(target) == content
        mode(target) == 'rw-r-----'
        Files.getAttribute(target, 'unix:ino') != oldInode
        Files.list(remote).toList() == [target]
        out == [path: target.toString(), bytes: 300_000L, sha256: sha256(content), mode: '640', host: '127.0.0.1']
    }

    def "without mode a replaced file keeps its mode and a new one gets 0644"() {
        given:
        Files.writeString(dir.resolve('run.sh'), '#!/bin/sh\necho v2\n')
        Path script = remote.resolve('run.sh')
        Files.writeString(script, 'v1')
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString('rwxr-x---'))

        when:
        step('uploadFile', [source: 'run.sh', path: script.toString()])
        step('uploadFile', [source: 'run.sh', path: remote.resolve('new.sh').toString()])

        then:
        Files.readString(script) == '#!/bin/sh\necho v2\n'
        mode(script) == 'rwxr-x---'
        mode(remote.resolve('new.sh')) == 'rw-r--r--'
    }

    def "with sudo the file is installed by root under the given name, through the login user's private copy"() {
        given:
        Files.writeString(dir.resolve('unit'), "[Service]\nExecStart=/bin/true\n")
        Path target = remote.resolve("it's a \$(unit).service")

        when:
        Map out = step('uploadFile', [source: 'unit', path: target.toString(), mode: '600', sudo: true])

        then:
        Files.readString(target) == "[Service]\nExecStart=/bin/true\n"
        mode(target) == 'rw-------'
        Files.getOwner(target).name == 'root'
        out.mode == '600'
        Files.list(remote).toList() == [target]
        Files.list(Path.of('/tmp')).noneMatch { it.fileName.toString().startsWith('.lockstep-upload-') }
    }

    def "a missing directory on the host is named"() {
        given:
        Files.writeString(dir.resolve('f'), 'x')

        when:
        step('uploadFile', [source: 'f', path: remote.resolve('no/such/dir/f').toString()])

        then:
        StepFailedException e = thrown()
        e.message.startsWith("uploadFile ${dir.resolve('f')} to ${remote.resolve('no/such/dir/f')}: cannot write ${remote.resolve('no/such/dir')}/.f.lockstep-")
    }

    def "downloads a file into the run's artifacts, or to a given path"() {
        given:
        byte[] content = 'line 1\nline 2 ü\n'.getBytes('UTF-8')
        Files.write(remote.resolve('tyk.conf'), content)

        when:
        Map out = step('downloadFile', [path: remote.resolve('tyk.conf').toString()])

        then:
        Path file = Path.of(out.file as String)
        file == ctx.artifactsDir().resolve('step/tyk.conf')
        Files.readAllBytes(file) == content
        out.bytes == content.length
        out.sha256 == sha256(content)

        when:
        out = step('downloadFile', [path: remote.resolve('tyk.conf').toString(), to: 'copies/tyk.conf'])

        then:
        Files.readAllBytes(dir.resolve('copies/tyk.conf')) == content
        Files.list(dir.resolve('copies')).toList() == [dir.resolve('copies/tyk.conf')]
    }

    def "a missing remote file is named and leaves nothing behind"() {
        when:
        step('downloadFile', [path: '/no/such/file', to: 'x/file'])

        then:
        StepFailedException e = thrown()
        e.message == "downloadFile /no/such/file: no such file on root@127.0.0.1:${sshd.port}"
        Files.list(dir.resolve('x')).toList().isEmpty()
    }
}
