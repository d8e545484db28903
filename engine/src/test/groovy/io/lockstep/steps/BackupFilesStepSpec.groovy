package io.lockstep.steps

import io.lockstep.engine.model.Compensation
import io.lockstep.engine.model.Step
import io.lockstep.steps.files.BackupFilesStepType
import io.lockstep.steps.files.RestoreFilesStepType
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.attribute.PosixFilePermissions
import java.security.MessageDigest

class BackupFilesStepSpec extends Specification {

    @TempDir
    Path dir

    TestStepContext ctx

    def setup() {
        ctx = new TestStepContext(dir)
        ctx.stepId = 'backup/data'
    }

    private Step backup(String path) {
        new BackupFilesStepType().create('backup/data', [path: path]).build()
    }

    private Map<String, String> tree(Path root) {
        Map<String, String> entries = new TreeMap<>()
        Files.walk(root).withCloseable { stream ->
            stream.filter { it != root }.forEach { Path p ->
                String rel = root.relativize(p).toString()
                entries[rel] = Files.isSymbolicLink(p) ? "-> ${Files.readSymbolicLink(p)}".toString()
                        : Files.isDirectory(p) ? 'dir' : Files.readString(p)
            }
        }
        entries
    }

    private Path dataDir() {
        Path data = dir.resolve('data')
        Files.createDirectories(data.resolve('sub/empty'))
        Files.writeString(data.resolve('a.txt'), 'alpha')
        Files.writeString(data.resolve('sub/b.txt'), 'beta')
        Files.createSymbolicLink(data.resolve('link'), Path.of('a.txt'))
        data
    }

    def "backs up a directory tree, and the compensation restores it exactly"() {
        given:
        Path data = dataDir()
        Map<String, String> before = tree(data)
        Step step = backup('data')

        when:
        Map outputs = step.action().execute(ctx)

        then:
        outputs.path == data.toString()
        outputs.artifact == ctx.artifactsDir.resolve('backup_data-' + sha('backup/data').substring(0, 8)).resolve('data').toString()
        outputs.sha256 ==~ /[0-9a-f]{64}/
        outputs.bytes == 9
        outputs.files == 2
        outputs.existed == true
        tree(Path.of(outputs.artifact)) == before

        when:
        Files.writeString(data.resolve('a.txt'), 'changed')
        Files.writeString(data.resolve('added.txt'), 'new')
        Files.createDirectories(data.resolve('sub/newdir/deeper'))
        Files.delete(data.resolve('sub/b.txt'))
        ctx.ownOutputs = outputs
        Map restored = step.compensation().action().execute(ctx)

        then:
        tree(data) == before
        restored == [path: data.toString(), artifact: outputs.artifact, sha256: outputs.sha256, restored: true]
        dir.toFile().list().findAll { it.contains('lockstep') } == []
    }

    def "the plan shows the restore and warns that it discards later changes"() {
        when:
        Step step = backup('data')

        then:
        step.type() == 'backupFiles'
        step.description() == "copy data to the run's artifacts"
        step.arguments() == [path: 'data']
        step.idempotent()
        step.probe() != null
        step.compensation().kind() == Compensation.Kind.ACTION
        step.compensation().description() == 'restore data from the backup (sha256 verified)'
        step.compensation().dataLossWarning() == 'restoring data discards changes made to it after the backup'
    }

    def "backs up a single file with its digest and permissions"() {
        given:
        Path file = dir.resolve('app.conf')
        Files.writeString(file, 'port=8080\n')
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString('rw-r-----'))

        when:
        Map outputs = backup('app.conf').action().execute(ctx)

        then:
        outputs.sha256 == sha('port=8080\n')
        outputs.bytes == 10
        outputs.files == 1
        Files.readString(Path.of(outputs.artifact)) == 'port=8080\n'
        PosixFilePermissions.toString(Files.getPosixFilePermissions(Path.of(outputs.artifact))) == 'rw-r-----'
        ctx.lines == ["backed up $file (1 files, 10 bytes) to ${outputs.artifact}, sha256 ${outputs.sha256}".toString()]

        when:
        Files.writeString(file, 'port=9090\n')
        ctx.ownOutputs = outputs
        backup('app.conf').compensation().action().execute(ctx)

        then:
        Files.readString(file) == 'port=8080\n'
        PosixFilePermissions.toString(Files.getPosixFilePermissions(file)) == 'rw-r-----'
    }

    def "a path that did not exist is deleted by the restore"() {
        given:
        Step step = backup('later')

        when:
        Map outputs = step.action().execute(ctx)

        then:
        outputs.existed == false
        outputs.files == 0
        outputs.sha256 == ''

        when:
        Files.createDirectories(dir.resolve('later/x'))
        Files.writeString(dir.resolve('later/x/y'), 'created by the upgrade')
        ctx.ownOutputs = outputs
        step.compensation().action().execute(ctx)

        then:
        !Files.exists(dir.resolve('later'))
    }

    def "a corrupted artifact is refused and nothing is changed"() {
        given:
        Path data = dataDir()
        Step step = backup('data')
        Map outputs = step.action().execute(ctx)
        Files.writeString(data.resolve('a.txt'), 'after the upgrade')
        Map<String, String> modified = tree(data)
        Files.writeString(Path.of(outputs.artifact).resolve('sub/b.txt'), 'bit rot')

        when:
        ctx.ownOutputs = outputs
        step.compensation().action().execute(ctx)

        then:
        StepFailedException e = thrown()
        e.message.startsWith("refusing to restore $data: the backup artifact ${outputs.artifact} does not match its recorded sha256 (expected ${outputs.sha256}, found ")
        e.message.endsWith("); $data was left unchanged")
        tree(data) == modified
    }

    def "a missing artifact gets a clear message"() {
        given:
        dataDir()
        Step step = backup('data')
        Map outputs = step.action().execute(ctx)
        Files.walk(Path.of(outputs.artifact)).sorted(Comparator.reverseOrder()).forEach { Files.delete(it) }

        when:
        ctx.ownOutputs = outputs
        step.compensation().action().execute(ctx)

        then:
        StepFailedException e = thrown()
        e.message == "cannot restore ${dir.resolve('data')}: the backup artifact ${outputs.artifact} is missing"
    }

    def "the probe finds a complete backup and rejects a damaged or absent one"() {
        given:
        dataDir()
        Step step = backup('data')

        expect:
        step.probe().check(ctx).empty

        when:
        Map outputs = step.action().execute(ctx)

        then:
        step.probe().check(ctx).get() == outputs

        when:
        Files.writeString(Path.of(outputs.artifact).resolve('a.txt'), 'damaged')

        then:
        step.probe().check(ctx).empty
    }

    def "running the backup again replaces the earlier copy"() {
        given:
        Path data = dataDir()
        Step step = backup('data')
        step.action().execute(ctx)
        Files.delete(data.resolve('sub/b.txt'))

        when:
        Map outputs = step.action().execute(ctx)

        then:
        outputs.files == 1
        !Files.exists(Path.of(outputs.artifact).resolve('sub/b.txt'))
        step.probe().check(ctx).get() == outputs
    }

    def "restoreFiles restores the backup of another step, and its probe sees the result"() {
        given:
        Path data = dataDir()
        Map<String, String> before = tree(data)
        Map outputs = backup('data').action().execute(ctx)
        ctx.finished['backup/data'] = outputs
        ctx.stepId = 'rollback/restore'
        Step restore = new RestoreFilesStepType().create('rollback/restore', [from: 'backup/data']).build()
        Files.writeString(data.resolve('extra'), 'x')

        expect:
        restore.probe().check(ctx).empty
        restore.description() == "restore the files backed up by step 'backup/data'"
        restore.compensation().kind() == Compensation.Kind.NONE

        when:
        Map restored = restore.action().execute(ctx)

        then:
        tree(data) == before
        restored.restored == true
        restore.probe().check(ctx).present
    }

    def "restoreFiles from a step that is not a backup says so"() {
        given:
        ctx.finished['stop'] = [exitCode: 0, stdout: '', stderr: '']
        Step restore = new RestoreFilesStepType().create('r', [from: 'stop']).build()

        when:
        restore.action().execute(ctx)

        then:
        StepFailedException e = thrown()
        e.message == "step 'stop' is not a backupFiles step: its outputs have no path/artifact/sha256"
    }

    private static String sha(String text) {
        MessageDigest.getInstance('SHA-256').digest(text.bytes).encodeHex().toString()
    }
}
