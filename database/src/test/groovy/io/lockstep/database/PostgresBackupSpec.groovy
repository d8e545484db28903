package io.lockstep.database

import io.lockstep.testing.TestStepContext
import com.fasterxml.jackson.databind.ObjectMapper
import io.lockstep.engine.model.SecretRef
import io.lockstep.engine.model.Step
import io.lockstep.steps.StepArgs
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.attribute.PosixFilePermissions

/** backupDatabase and restoreDatabase against the testbed's real PostgreSQL 15. */
class PostgresBackupSpec extends Specification {

    static final String SCHEMA = '''
        CREATE TABLE users (id serial PRIMARY KEY, email text NOT NULL UNIQUE, note text);
        CREATE TABLE api_keys (id serial PRIMARY KEY, user_id int NOT NULL REFERENCES users (id), key text NOT NULL);
        CREATE INDEX api_keys_user ON api_keys (user_id);
        CREATE VIEW user_keys AS SELECT u.email, k.key FROM users u JOIN api_keys k ON k.user_id = u.id;
        CREATE SCHEMA audit;
        CREATE TABLE audit.events (id bigserial PRIMARY KEY, what text);
        INSERT INTO users (email, note) VALUES ('ada@example.com', 'tab\tand ''quote'' here'), ('bob@example.com', NULL),
            ('zoë@example.com', E'two\\nlines');
        INSERT INTO api_keys (user_id, key) VALUES (1, 'k-ada'), (2, 'k-bob-1'), (2, 'k-bob-2');
        INSERT INTO audit.events (what) VALUES ('created');
        '''

    /** What the portal's forward-only migration does after the backup. */
    static final String MIGRATION = '''
        ALTER TABLE users ADD COLUMN sso_profile text;
        CREATE TABLE teams (id serial PRIMARY KEY, name text NOT NULL);
        INSERT INTO teams (name) VALUES ('platform');
        UPDATE users SET email = 'ada@new.example.com', sso_profile = 'okta' WHERE id = 1;
        DELETE FROM api_keys WHERE id = 3;
        INSERT INTO users (email) VALUES ('carol@example.com');
        DROP VIEW user_keys;
        CREATE SCHEMA migrations;
        CREATE TABLE migrations.applied (version int);
        '''

    @Shared
    DatabaseTestbed.Server pg = DatabaseTestbed.postgres()

    @TempDir
    Path dir

    String database
    TestStepContext ctx

    def setup() {
        database = pg.createDatabase('pg')
        pg.sql(database, SCHEMA)
        ctx = new TestStepContext(dir)
        ctx.secrets.dbPassword = pg.password
    }

    def cleanup() {
        pg.dropDatabase(database)
    }

    private Step backupStep(Map extra = [:]) {
        DatabaseTestbed.step('backupDatabase', 'backup/db', [engine: 'postgres', host: pg.host, port: pg.port,
                database: database, user: pg.user, password: new SecretRef('dbPassword')] + extra).build()
    }

    private Map<String, Object> backup(Map extra = [:]) {
        ctx.stepId = 'backup/db'
        backupStep(extra).action().execute(ctx)
    }

    def "the dump is plain SQL in the artifacts, with its sha256, size, versions and a manifest"() {
        when:
        Map outputs = backup()
        Path dump = ctx.artifactsDir.resolve(outputs.artifact)

        then:
        outputs.artifact == "${StepArgs.fileName('backup/db')}/${database}.sql".toString()
        outputs.artifact.startsWith('backup_db-')
        Files.readString(dump).contains('-- PostgreSQL database dump')
        Files.getPosixFilePermissions(dump) == PosixFilePermissions.fromString('rw-------')
        Files.readString(dump).contains('COPY public.users (id, email, note) FROM stdin;')
        outputs.sha256 == FileDigest.of(dump).sha256()
        outputs.sizeBytes == Files.size(dump)
        outputs.engine == 'postgres'
        outputs.database == database
        outputs.host == pg.host
        outputs.port == pg.port
        outputs.user == pg.user
        outputs.via == 'local'
        outputs.passwordSecret == 'dbPassword'
        outputs.toolVersion ==~ /pg_dump \(PostgreSQL\) 15\..*/
        outputs.serverVersion.startsWith('15.')
        !outputs.values()*.toString().any { it.contains(pg.password) }

        and: 'the manifest repeats it for whoever finds the file without the journal'
        Map manifest = new ObjectMapper().readValue(dump.resolveSibling('backup.json').toFile(), Map)
        manifest.sha256 == outputs.sha256
        manifest.sizeBytes == outputs.sizeBytes
        manifest.file == "${database}.sql".toString()
        manifest.engine == 'postgres'
        manifest.serverVersion == outputs.serverVersion
        manifest.toolVersion == outputs.toolVersion
        manifest.stepId == 'backup/db'
        manifest.createdAt == outputs.createdAt

        and: 'nothing else is left next to it, and the password is in no file and no log line'
        Files.list(dump.parent).collect { it.fileName.toString() }.sort() == ['backup.json', "${database}.sql".toString()]
        !Files.exists(ctx.artifactsDir.resolve('.private')) || Files.list(ctx.artifactsDir.resolve('.private')).count() == 0
        ctx.lines.any { it.startsWith("PostgreSQL at ${pg.host}:${pg.port} runs 15.") }
        ctx.lines.any { it.startsWith("dumped database '${database}' to ${dump}: ") }
        ctx.lines.every { !it.contains(pg.password) }
    }

    def "the undo after a forward migration brings back the schema and the data exactly"() {
        given:
        String before = pg.snapshot(database)
        List<String> tablesBefore = pg.tables(database)
        Map outputs = backup()

        when: 'the upgrade migrates forward: a new column, a new table and schema, changed and deleted rows'
        pg.sql(database, MIGRATION)

        then:
        pg.snapshot(database) != before
        pg.columns(database, 'users') == ['id', 'email', 'note', 'sso_profile']

        when:
        ctx.ownOutputs = outputs
        Map restored = backupStep().compensation().action().execute(ctx)

        then:
        pg.snapshot(database) == before
        pg.tables(database) == tablesBefore
        tablesBefore == ['audit.events', 'public.api_keys', 'public.user_keys', 'public.users']
        pg.columns(database, 'users') == ['id', 'email', 'note']
        pg.sql(database, 'SELECT id, email, note FROM users ORDER BY id') ==
                "1|ada@example.com|tab\tand 'quote' here\n2|bob@example.com|\n3|zoë@example.com|two\nlines\n"
        pg.sql(database, 'SELECT id, user_id, key FROM api_keys ORDER BY id') == '1|1|k-ada\n2|2|k-bob-1\n3|2|k-bob-2\n'
        pg.sql(database, "SELECT nextval('users_id_seq')") == '4\n'
        restored.from == 'backup/db'
        restored.database == database
        restored.sha256 == outputs.sha256
        restored.sizeBytes == outputs.sizeBytes
        restored.durationMillis >= 0
        ctx.lines.any { it.startsWith("restored database '${database}' on PostgreSQL at ${pg.host}:${pg.port} in ") }
    }

    def "restoreDatabase takes the connection and the password's secret from the backup"() {
        given:
        String before = pg.snapshot(database)
        ctx.finished['backup/db'] = backup()
        pg.sql(database, MIGRATION)
        Step restore = DatabaseTestbed.step('restoreDatabase', 'rollback/db', [from: 'backup/db']).build()

        when:
        ctx.stepId = 'rollback/db'
        Map outputs = restore.action().execute(ctx)

        then:
        pg.snapshot(database) == before
        outputs.from == 'backup/db'
        outputs.host == pg.host
        outputs.port == pg.port

        when: 'a second restore is the same restore'
        restore.action().execute(ctx)

        then:
        pg.snapshot(database) == before
    }

    def "a backup run again dumps again and leaves one dump"() {
        given:
        Map first = backup()
        pg.sql(database, "INSERT INTO users (email) VALUES ('late@example.com')")

        when:
        Map second = backup()

        then:
        second.artifact == first.artifact
        second.sha256 != first.sha256
        Files.readString(ctx.artifactsDir.resolve(second.artifact)).contains('late@example.com')
        Files.list(ctx.artifactsDir.resolve(second.artifact).parent).count() == 2
    }
}
