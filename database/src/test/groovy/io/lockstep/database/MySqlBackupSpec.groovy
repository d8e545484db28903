package io.lockstep.database

import io.lockstep.testing.TestStepContext
import com.fasterxml.jackson.databind.ObjectMapper
import io.lockstep.engine.model.SecretRef
import io.lockstep.engine.model.Step
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path

/** backupDatabase and restoreDatabase against the testbed's real MariaDB 10.11 (engine mysql or mariadb). */
class MySqlBackupSpec extends Specification {

    static final String SCHEMA = '''
        CREATE TABLE users (id int AUTO_INCREMENT PRIMARY KEY, email varchar(200) NOT NULL UNIQUE, note text) ENGINE=InnoDB;
        CREATE TABLE api_keys (id int AUTO_INCREMENT PRIMARY KEY, user_id int NOT NULL, `key` varchar(100) NOT NULL,
            FOREIGN KEY (user_id) REFERENCES users (id)) ENGINE=InnoDB;
        CREATE TABLE blobs (id int PRIMARY KEY, data blob);
        CREATE VIEW user_keys AS SELECT u.email, k.`key` FROM users u JOIN api_keys k ON k.user_id = u.id;
        CREATE TRIGGER users_lower BEFORE INSERT ON users FOR EACH ROW SET NEW.email = LOWER(NEW.email);
        CREATE PROCEDURE count_users() SELECT COUNT(*) FROM users;
        INSERT INTO users (email, note) VALUES ('ada@example.com', 'tab\tand ''quote'' here'), ('bob@example.com', NULL),
            ('zoë@example.com', 'two\\nlines');
        INSERT INTO api_keys (user_id, `key`) VALUES (1, 'k-ada'), (2, 'k-bob-1'), (2, 'k-bob-2');
        INSERT INTO blobs VALUES (1, UNHEX('00FF10'));
        '''

    /** What the portal's forward-only migration does after the backup. */
    static final String MIGRATION = '''
        ALTER TABLE users ADD COLUMN sso_profile text;
        CREATE TABLE teams (id int AUTO_INCREMENT PRIMARY KEY, name text NOT NULL);
        INSERT INTO teams (name) VALUES ('platform');
        CREATE TABLE team_members (team_id int, user_id int, FOREIGN KEY (user_id) REFERENCES users (id));
        INSERT INTO team_members VALUES (1, 1);
        UPDATE users SET email = 'ada@new.example.com', sso_profile = 'okta' WHERE id = 1;
        DELETE FROM api_keys WHERE id = 3;
        INSERT INTO users (email) VALUES ('carol@example.com');
        DROP VIEW user_keys;
        DROP TRIGGER users_lower;
        CREATE PROCEDURE migrate_more() SELECT 1;
        '''

    @Shared
    DatabaseTestbed.Server db = DatabaseTestbed.mariadb()

    @TempDir
    Path dir

    String database
    TestStepContext ctx

    def setup() {
        database = db.createDatabase('my')
        db.sql(database, SCHEMA)
        ctx = new TestStepContext(dir)
        ctx.secrets.dbPassword = db.password
    }

    def cleanup() {
        db.dropDatabase(database)
    }

    private Step backupStep(String engine = 'mariadb') {
        DatabaseTestbed.step('backupDatabase', 'backup/db', [engine: engine, host: db.host, port: db.port,
                database: database, user: db.user, password: new SecretRef('dbPassword')]).build()
    }

    private Map<String, Object> backup(String engine = 'mariadb') {
        ctx.stepId = 'backup/db'
        backupStep(engine).action().execute(ctx)
    }

    def "the dump has routines and triggers, no CREATE DATABASE, and its sha256 and manifest"() {
        when:
        Map outputs = backup()
        Path dump = ctx.artifactsDir.resolve(outputs.artifact)
        String text = Files.readString(dump)

        then:
        text.contains('CREATE TABLE `users`')
        text.contains('PROCEDURE `count_users`')
        text.contains('TRIGGER')
        !text.contains('CREATE DATABASE')
        outputs.sha256 == FileDigest.of(dump).sha256()
        outputs.sizeBytes == Files.size(dump)
        outputs.engine == 'mysql'
        outputs.toolVersion.contains('MariaDB')
        outputs.serverVersion.contains('MariaDB')
        outputs.passwordSecret == 'dbPassword'
        new ObjectMapper().readValue(dump.resolveSibling('backup.json').toFile(), Map).sha256 == outputs.sha256

        and: 'the password went through a private file that is gone, and into no log line'
        Files.list(ctx.artifactsDir.resolve('.private')).count() == 0
        ctx.lines.any { it.contains('--defaults-extra-file=') }
        ctx.lines.any { it.startsWith("MariaDB at ${db.host}:${db.port} runs 10.11") }
        ctx.lines.every { !it.contains(db.password) }
    }

    def "the undo after a forward migration brings back the schema and the data exactly (engine #engine)"() {
        given:
        String before = db.snapshot(database)
        List<String> tablesBefore = db.tables(database)
        Map outputs = backup(engine)
        db.sql(database, MIGRATION)

        expect:
        db.snapshot(database) != before
        db.columns(database, 'users') == ['id', 'email', 'note', 'sso_profile']

        when:
        ctx.ownOutputs = outputs
        Map restored = backupStep(engine).compensation().action().execute(ctx)

        then:
        db.snapshot(database) == before
        db.tables(database) == tablesBefore
        tablesBefore == ['api_keys', 'blobs', 'user_keys', 'users']
        db.columns(database, 'users') == ['id', 'email', 'note']
        db.sql(database, 'SELECT id, email, note FROM users ORDER BY id') ==
                '1\tada@example.com\ttab\\tand \'quote\' here\n2\tbob@example.com\tNULL\n3\tzoë@example.com\ttwo\\nlines\n'
        db.sql(database, 'SELECT HEX(data) FROM blobs') == '00FF10\n'
        db.sql(database, "SELECT COUNT(*) FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = DATABASE()") == '1\n'
        restored.sha256 == outputs.sha256
        ctx.lines.any { it.startsWith("restored database '${database}' on ${label} at ${db.host}:${db.port} in ") }

        where:
        engine    | label
        'mariadb' | 'MariaDB'
        'mysql'   | 'MySQL'
    }

    def "restoreDatabase takes the connection and the password's secret from the backup"() {
        given:
        String before = db.snapshot(database)
        ctx.finished['backup/db'] = backup()
        db.sql(database, MIGRATION)

        when:
        ctx.stepId = 'rollback/db'
        Map outputs = DatabaseTestbed.step('restoreDatabase', 'rollback/db', [from: 'backup/db']).build().action().execute(ctx)

        then:
        db.snapshot(database) == before
        outputs.engine == 'mysql'
        outputs.database == database
    }
}
