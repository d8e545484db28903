package io.lockstep.database

import io.lockstep.testing.TestStepContext
import io.lockstep.engine.Plan
import io.lockstep.engine.model.Compensation
import io.lockstep.engine.model.Group
import io.lockstep.engine.model.Playbook
import io.lockstep.engine.model.SecretRef
import io.lockstep.engine.model.Step
import io.lockstep.engine.model.StepContext
import io.lockstep.steps.StepFailedException
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Path

/** The step types as plans see them, and the parts that need no server: checks, messages, tool lookup. */
class DatabaseStepTypesSpec extends Specification {

    @TempDir
    Path dir

    static final Map PORTAL = [engine: 'postgres', host: '10.0.0.5', port: 5432, database: 'portal', user: 'portal',
                               password: new SecretRef('dbPassword')]

    def "both step types are registered and say what they take"() {
        expect:
        DatabaseTestbed.TYPES.names().containsAll(['backupDatabase', 'restoreDatabase'])
        DatabaseTestbed.TYPES.find('backupDatabase').get().arguments()*.name() ==
                ['engine', 'database', 'user', 'password', 'host', 'port', 'via', 'tools']
        DatabaseTestbed.TYPES.find('restoreDatabase').get().arguments()*.name() ==
                ['from', 'engine', 'database', 'user', 'password', 'host', 'port', 'via', 'tools', 'allowOtherDatabase']
    }

    def "a backup's plan entry: what it dumps, its undo, and the data a rollback would lose"() {
        when:
        Step step = DatabaseTestbed.step('backupDatabase', 'backup/portal-db', PORTAL).build()

        then:
        step.type() == 'backupDatabase'
        step.description() == "dump portal from postgres at 10.0.0.5:5432 as portal into the run's artifacts"
        step.arguments() == [engine: 'postgres', host: '10.0.0.5', port: 5432, database: 'portal', user: 'portal',
                             password: '${secret:dbPassword}', via: 'local']
        step.idempotent()
        step.compensation().kind() == Compensation.Kind.ACTION
        step.compensation().description() == 'restore portal from backup backup/portal-db (sha256 verified)'
        step.compensation().dataLossWarning() == 'restoring portal discards every write made after the backup'

        and: 'host and port have defaults'
        DatabaseTestbed.step('backupDatabase', 'db', [engine: 'mariadb', database: 'portal', user: 'portal']).build()
                .description() == "dump portal from mariadb at 127.0.0.1:3306 as portal into the run's artifacts"
    }

    def "in the Tyk order the restore runs after the new portal is stopped and before the previous one starts"() {
        given:
        Step stop = Step.builder('stop/portal', { [:] })
                .compensation(Compensation.of('start the previous portal', { [:] })).build()
        Step backup = DatabaseTestbed.step('backupDatabase', 'backup/portal-db', PORTAL).build()
        Step recreate = Step.builder('upgrade/portal', { [:] })
                .compensation(Compensation.of('stop the new portal and recreate the previous one', { [:] })).build()
        Playbook playbook = new Playbook('tyk-portal', 'prod',
                new Group('', '', Group.Kind.SEQUENCE, [stop, backup, recreate]), [:], [:], [], null, dir)

        when:
        Plan plan = Plan.of(playbook)

        then:
        plan.rollbackOrder()*.id() == ['upgrade/portal', 'backup/portal-db', 'stop/portal']
        plan.dataLossWarnings() == ['backup/portal-db: restoring portal discards every write made after the backup']
    }

    def "a password written in the playbook is shown as **** in plans"() {
        when:
        Step step = DatabaseTestbed.step('backupDatabase', 'db', PORTAL + [password: 'hunter2']).build()

        then:
        step.arguments().password == '****'
        !step.description().contains('hunter2')
    }

    def "a restore's plan entry names its backup and has no undo of its own"() {
        when:
        Step step = DatabaseTestbed.step('restoreDatabase', 'rollback/db', [from: 'backup/portal-db']).build()
        Step elsewhere = DatabaseTestbed.step('restoreDatabase', 'copy/db',
                [from: 'backup/portal-db', database: 'portal_copy', host: 'staging', allowOtherDatabase: true]).build()

        then:
        step.description() == "restore the database dumped by step 'backup/portal-db' (sha256 verified)"
        step.arguments() == [from: 'backup/portal-db']
        step.compensation().kind() == Compensation.Kind.UNDECLARED
        step.idempotent()
        elsewhere.description() == "restore the database dumped by step 'backup/portal-db' into portal_copy on " +
                "staging (sha256 verified)"
        elsewhere.arguments().allowOtherDatabase == true
    }

    def "#problem is refused before anything runs"() {
        when:
        DatabaseTestbed.step(type, 'db', args).build()

        then:
        IllegalArgumentException e = thrown()
        e.message == message

        where:
        problem              | type              | args                                        || message
        'an unknown engine'  | 'backupDatabase'  | PORTAL + [engine: 'oracle']                 || "backupDatabase 'db': unknown engine 'oracle': known engines are postgres (alias postgresql), mysql, mariadb"
        'an unknown via'     | 'backupDatabase'  | PORTAL + [via: 'telnet']                    || "backupDatabase 'db': unknown via 'telnet': available transports are local (with their modules: docker, ssh, kubernetes)"
        'kubernetes without it' | 'backupDatabase' | PORTAL + [via: 'kubernetes']               || "backupDatabase 'db': via 'kubernetes' needs the lockstep-kubernetes module on the class path; available here: local"
        'ssh without it'     | 'backupDatabase'  | PORTAL + [via: 'ssh']                       || "backupDatabase 'db': via 'ssh' needs the lockstep-ssh module on the class path; available here: local"
        'docker without it'  | 'backupDatabase'  | PORTAL + [via: 'docker']                    || "backupDatabase 'db': via 'docker' needs the lockstep-docker module on the class path; available here: local"
        'a foreign tool'     | 'backupDatabase'  | PORTAL + [tools: [mysqldump: '/usr/bin/x']] || "backupDatabase 'db': tools names 'mysqldump', which postgres does not use: give pg_dump or psql"
        'a port out of range'| 'backupDatabase'  | PORTAL + [port: 70000]                      || "backupDatabase 'db': port must be between 1 and 65535, got 70000"
        'an empty database'  | 'backupDatabase'  | PORTAL + [database: '']                     || "backupDatabase 'db': database must not be empty"
        'a restore from nothing' | 'restoreDatabase' | [from: ' ']                            || "restoreDatabase 'db': from must name a backupDatabase step"
    }

    def "a restore from a step that is not a backup says so"() {
        given:
        TestStepContext ctx = new TestStepContext(dir)
        ctx.finished['upgrade/start'] = [exitCode: 0]

        when:
        DatabaseTestbed.step('restoreDatabase', 'rollback/db', [from: 'upgrade/start']).build().action().execute(ctx)

        then:
        StepFailedException e = thrown()
        e.message == "step 'upgrade/start' is not a backupDatabase step: its outputs have no artifact, sha256, sizeBytes, engine, database"
    }

    def "free space is checked against the database's size, when the server tells it"() {
        expect:
        DiskSpace.shortage('portal', size, Path.of('/var/lockstep'), usable) == message

        where:
        size           | usable         || message
        -1             | 0              || null
        10_000         | 10_000         || null
        13_207_024_435 | 4_402_341_478  || "not enough free space for the dump of database 'portal': it takes 12.3 GB on the server and /var/lockstep has 4.1 GB free; free space there, or give the run a store on a larger disk (--store)"
    }

    def "sizes read the way people say them"() {
        expect:
        DiskSpace.human(bytes) == text

        where:
        bytes         || text
        0             || '0 bytes'
        1023          || '1023 bytes'
        1536          || '1.5 KB'
        7_759_000     || '7.4 MB'
    }

    def "#engine errors become one line naming the server, user or database"() {
        given:
        Connection c = new Connection(DatabaseEngines.named(engine), '127.0.0.1', port, 'portal', 'portal', 'pw')

        expect:
        c.engine().explain(c, stderr) == line

        where:
        engine     | port | stderr                                                                                                                   || line
        'postgres' | 5433 | 'psql: error: connection to server at "127.0.0.1", port 5433 failed: FATAL:  password authentication failed for user "portal"' || "PostgreSQL at 127.0.0.1:5433 refused user 'portal': password authentication failed"
        'postgres' | 5433 | 'pg_dump: error: connection to server at "127.0.0.1", port 5433 failed: fe_sendauth: no password supplied'                 || "PostgreSQL at 127.0.0.1:5433 refused user 'portal': it asks for a password and none was given (password: secret('...'))"
        'postgres' | 5433 | 'psql: error: connection to server at "127.0.0.1", port 5433 failed: FATAL:  database "portal" does not exist'            || "database 'portal' does not exist on PostgreSQL at 127.0.0.1:5433"
        'postgres' | 5499 | 'psql: error: connection to server at "127.0.0.1", port 5499 failed: Connection refused\n\tIs the server running?'       || "cannot reach PostgreSQL at 127.0.0.1:5499: connection refused (is the server running and accepting TCP connections there?)"
        'postgres' | 5433 | 'pg_dump: error: aborting because of server version mismatch\npg_dump: detail: server version: 16.4; pg_dump version: 15.18' || "pg_dump is older than PostgreSQL at 127.0.0.1:5433 (server 16.4, pg_dump 15.18): install a pg_dump at least as new as the server, or point tools.pg_dump at one"
        'postgres' | 5433 | 'psql:<stdin>:120: ERROR:  relation "pages" already exists'                                                              || 'ERROR: relation "pages" already exists'
        'mariadb'  | 3306 | "ERROR 1045 (28000): Access denied for user 'portal'@'localhost' (using password: YES)"                                   || "MariaDB at 127.0.0.1:3306 refused user 'portal': access denied (wrong password, or the user may not connect from here)"
        'mysql'    | 3306 | "mysqldump: Got error: 1044: \"Access denied for user 'portal'@'%' to database 'portal'\" when selecting the database"     || "MySQL at 127.0.0.1:3306 refused user 'portal' access to database 'portal'"
        'mysql'    | 3306 | "ERROR 1049 (42000): Unknown database 'portal'"                                                                          || "database 'portal' does not exist on MySQL at 127.0.0.1:3306"
        'mysql'    | 3399 | "ERROR 2002 (HY000): Can't connect to server on '127.0.0.1' (115)"                                                       || "cannot reach MySQL at 127.0.0.1:3399: connection refused or timed out (is the server running and listening there?)"
        'postgres' | 5433 | 'psql:<stdin>:9: ERROR:  canceling statement due to lock timeout'                                                      || "another session kept the database's tables locked for 30 seconds: stop the application that uses the database before restoring it"
        'mysql'    | 3306 | 'ERROR 1205 (HY000) at line 4: Lock wait timeout exceeded; try restarting transaction'                                   || "another session kept the database's tables locked for 30 seconds: stop the application that uses the database before restoring it"
        'mysql'    | 3306 | "--------------\nselect nope\n--------------\n\nERROR 1054 (42S22) at line 1: Unknown column 'nope' in 'SELECT'"         || "ERROR 1054 (42S22) at line 1: Unknown column 'nope' in 'SELECT'"
    }

    def "a database name libpq would read as a connection string is quoted"() {
        expect:
        PostgresEngine.dbname('portal') == 'portal'
        PostgresEngine.dbname("a=b") == "dbname='a=b'"
        PostgresEngine.dbname("postgres://x'y") == "dbname='postgres://x\\'y'"
    }

    def "a password is escaped for the MySQL option file"() {
        expect:
        MySqlEngine.optionValue('a"b\\c#d e\n') == 'a\\"b\\\\c#d e\\n'
    }

    def "a tool missing from PATH names what to install; MariaDB's own names are tried too"() {
        given:
        TestStepContext ctx = new TestStepContext(dir)
        List<String> tried = []
        Transport transport = Stub(Transport) {
            where() >> 'on this machine'
            run(_ as ToolCall, _ as StepContext) >> { ToolCall call, StepContext c ->
                tried << call.program()
                if (call.program() != available) {
                    throw new ToolNotFoundException(call.program(), 'on PATH')
                }
                new ToolResult(0, "${call.program()} 1.0\n", '')
            }
        }
        Connection c = new Connection(DatabaseEngines.named(engine), '127.0.0.1', 1, 'portal', 'portal', null)
        DatabaseSession session = DatabaseSession.open(ctx, c, transport, [:])

        when:
        String version = null
        String error = null
        try {
            version = session.toolVersion(c.engine().dumpTool())
        } catch (StepFailedException e) {
            error = e.message
        }

        then:
        tried == programs
        version == (available ? "${available} 1.0".toString() : null)
        error == message

        where:
        engine     | available      || programs                        | message
        'postgres' | null           || ['pg_dump']                     | "pg_dump not found on PATH: install postgresql-client (pg_dump and psql at least as new as the server), or set tools: [pg_dump: '/path/to/pg_dump']"
        'mysql'    | 'mariadb-dump' || ['mysqldump', 'mariadb-dump']   | null
        'mariadb'  | 'mariadb-dump' || ['mariadb-dump']                 | null
        'mariadb'  | null           || ['mariadb-dump', 'mysqldump']   | "mariadb-dump not found on PATH: install mariadb-client or mysql-client, or set tools: [mysqldump: '/path/to/mysqldump']"
    }
}
