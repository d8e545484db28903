package io.lockstep.database

import io.lockstep.engine.Lockstep
import io.lockstep.engine.RunEvent
import io.lockstep.engine.RunOptions
import io.lockstep.engine.RunResult
import io.lockstep.engine.RunStatus
import io.lockstep.engine.journal.FileJournalStore
import io.lockstep.engine.model.Group
import io.lockstep.engine.model.Playbook
import io.lockstep.engine.model.SecretRef
import io.lockstep.engine.model.Step
import io.lockstep.steps.StepFailedException
import spock.lang.Specification
import spock.lang.TempDir
import spock.lang.Unroll

import java.nio.file.Files
import java.nio.file.Path

/**
 * The database steps run by the real engine with the file journal: back up, migrate forward, fail a
 * check, roll back. The database must end up as it was dumped, the journal must show the undo, and
 * the password must be in no file of the run and no event.
 */
class DatabaseRunSpec extends Specification {

    @TempDir
    Path dir

    DatabaseTestbed.Server server
    String database
    List<RunEvent> events = [].asSynchronized()

    def cleanup() {
        server?.dropDatabase(database)
    }

    private Lockstep lockstep(String password) {
        Lockstep.builder()
                .store(new FileJournalStore(dir.resolve('runs')))
                .secrets { name -> Optional.ofNullable(name == 'dbPassword' ? password : null) }
                .listener { events << it }
                .build()
    }

    private Playbook playbook(Step... steps) {
        new Playbook('portal', 'test', new Group('', '', Group.Kind.SEQUENCE, steps.toList()), [:], [:], [], null, dir)
    }

    private Step backup() {
        DatabaseTestbed.step('backupDatabase', 'backup/db', [engine: server.engine, host: server.host, port: server.port,
                database: database, user: server.user, password: new SecretRef('dbPassword')]).build()
    }

    @Unroll
    def "a failed check after a forward migration rolls back: #engine equals the backup again"() {
        given:
        server = DatabaseTestbed.server(engine)
        database = server.createDatabase('run')
        server.sql(database, schema)
        String before = server.snapshot(database)
        Playbook playbook = playbook(
                backup(),
                Step.builder('upgrade/migrate', { ctx -> server.sql(database, migration); [migrated: true] }).build(),
                Step.builder('verify/health', { ctx -> throw new StepFailedException('portal answers 500 on /health') }).build())

        when:
        RunResult result = lockstep(server.password).run(playbook, RunOptions.DEFAULTS)

        then:
        result.status() == RunStatus.ROLLED_BACK
        result.failedStep() == 'verify/health'
        result.compensated() == ['backup/db']
        trace(result.runId()) == [
                'STEP_STARTED backup/db', 'STEP_FINISHED backup/db',
                'STEP_STARTED upgrade/migrate', 'STEP_FINISHED upgrade/migrate',
                'STEP_STARTED verify/health', 'STEP_FAILED verify/health',
                'COMPENSATION_STARTED backup/db', 'COMPENSATION_FINISHED backup/db']
        server.snapshot(database) == before
        server.tables(database) == tables

        and: 'the undo logged what it restored, and the password is nowhere in the run'
        events.any { it.type() == RunEvent.Type.STEP_LOG && it.message().startsWith("restored database '${database}'") }
        events.every { !it.toString().contains(server.password) }
        filesContaining(dir.resolve('runs'), server.password) == []

        where:
        engine     | schema                                                                    | migration                                                                       || tables
        'postgres' | 'CREATE TABLE pages (id int PRIMARY KEY, title text); INSERT INTO pages VALUES (1, \'home\');' | 'ALTER TABLE pages ADD COLUMN slug text; CREATE TABLE menus (id int); UPDATE pages SET title = \'x\';' || ['public.pages']
        'mysql'    | 'CREATE TABLE pages (id int PRIMARY KEY, title text); INSERT INTO pages VALUES (1, \'home\');' | 'ALTER TABLE pages ADD COLUMN slug text; CREATE TABLE menus (id int); UPDATE pages SET title = \'x\';' || ['pages']
    }

    @Unroll
    def "a wrong password for #engine fails the backup in one line and is written nowhere"() {
        given:
        server = DatabaseTestbed.server(engine)
        database = server.createDatabase('pw')
        String wrong = 'not-the-password-7781'

        when:
        RunResult result = lockstep(wrong).run(playbook(backup()), RunOptions.DEFAULTS)

        then:
        result.status() in [RunStatus.FAILED, RunStatus.ROLLED_BACK]
        result.failedStep() == 'backup/db'
        result.error() == message.replace('HOST', "${server.host}:${server.port}").replace('USER', server.user)
        events.every { !it.toString().contains(wrong) }
        filesContaining(dir.resolve('runs'), wrong) == []

        where:
        engine     || message
        'postgres' || "PostgreSQL at HOST refused user 'USER': password authentication failed"
        'mysql'    || "MySQL at HOST refused user 'USER': access denied (wrong password, or the user may not connect from here)"
    }

    private List<String> trace(String runId) {
        new FileJournalStore(dir.resolve('runs')).open(runId).withCloseable { journal ->
            journal.records().findAll { it.stepId() }.collect { "${it.type()} ${it.stepId()}".toString() }
        }
    }

    /** Every file under the directory whose bytes contain the text. */
    private static List<String> filesContaining(Path root, String text) {
        Files.walk(root).withCloseable { paths ->
            paths.filter { Files.isRegularFile(it) }
                    .filter { new String(Files.readAllBytes(it), 'ISO-8859-1').contains(text) }
                    .collect { it.toString() }
                    .toList()
        }
    }
}
