package io.lockstep.playbooks

import io.lockstep.engine.RunStatus
import io.lockstep.engine.journal.FileJournalStore
import io.lockstep.examples.EmbeddingExample
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path

/** The README's embedding example, run for real against a scratch configuration directory. */
class EmbeddingExampleSpec extends Specification {

    static final Path PLAYBOOK = Path.of('examples/config-release.groovy').toAbsolutePath()

    @TempDir
    Path dir

    Path config
    Path env

    def setup() {
        config = Files.createDirectories(dir.resolve('config'))
        Files.writeString(config.resolve('app.conf'), 'version=1.0.0\n')
        env = dir.resolve('env.groovy')
        Files.writeString(env, "environment('scratch') { vars { configDir = '${config}' } }\n")
    }

    def "an application runs the playbook with its own store and listener"() {
        given:
        def log = []
        def store = new FileJournalStore(dir.resolve('journal'))

        when:
        def result = EmbeddingExample.release(PLAYBOOK, env, '1.1.0', store, log)

        then:
        result.status() == RunStatus.SUCCEEDED
        Files.readString(config.resolve('app.conf')) == 'version=1.1.0\n'
        log == [
            'rollback release/write: no undo declared: a rollback leaves its effect in place',
            'rollback backup/config: restore ' + config + ' from the backup (sha256 verified)',
            'STEP_FINISHED backup/config', 'STEP_FINISHED release/write', 'STEP_FINISHED verify/check']
        store.runs()*.runId() == [result.runId()]
    }

    def "a version the check rejects is rolled back and the old configuration restored"() {
        given:
        def log = []
        // Not a full semantic version: the verify step rejects the written configuration.
        def badVersion = '1.2'

        when:
        def result = EmbeddingExample.release(PLAYBOOK, env, badVersion, new FileJournalStore(dir.resolve('journal')), log)

        then:
        result.status() == RunStatus.ROLLED_BACK
        result.failedStep() == 'verify/check'
        result.compensated() == ['backup/config']
        log.takeRight(1) == ['COMPENSATION_FINISHED backup/config']
        Files.readString(config.resolve('app.conf')) == 'version=1.0.0\n'
    }
}
