package io.lockstep.database

import io.lockstep.engine.model.Step
import io.lockstep.engine.spi.StepTypes
import io.lockstep.testing.TestbedSettings

import java.nio.file.Files
import java.nio.file.Path

/**
 * The testbed's PostgreSQL and MariaDB, reached on 127.0.0.1 with the native clients. Where they
 * are comes from the LOCKSTEP_TESTBED_POSTGRES_* and LOCKSTEP_TESTBED_MARIADB_* variables, else from
 * the env.properties src/testbed/up writes (build/testbed/ of the checkout, or $LOCKSTEP_TESTBED_HOME).
 * A server that is missing or does not answer fails the specs; they never skip.
 */
class DatabaseTestbed {

    static final StepTypes TYPES = StepTypes.load(DatabaseTestbed.classLoader)
    private static final Random RANDOM = new Random()

    /** One server of the testbed and the admin side of the specs: create, drop, run SQL, list. */
    static class Server {
        String engine
        String host
        int port
        String user
        String password

        /** A new empty database named lockstep_<purpose>_<random>, owned by the testbed user. */
        String createDatabase(String purpose) {
            String name = "lockstep_${purpose}_${Long.toString(RANDOM.nextLong() & Long.MAX_VALUE, 36)}".toString()
            admin("CREATE DATABASE ${name}")
            name
        }

        void dropDatabase(String name) {
            if (name != null) {
                admin(engine == 'postgres' ? "DROP DATABASE IF EXISTS ${name} WITH (FORCE)" : "DROP DATABASE IF EXISTS ${name}")
            }
        }

        /** Runs SQL in a database; fails the spec on an error. */
        String sql(String database, String statements) {
            List<String> argv = engine == 'postgres'
                    ? ['psql', '-X', '-q', '-t', '-A', '-F', '|', '-v', 'ON_ERROR_STOP=1', '-h', host, '-p', "$port", '-U', user, '-d', database]
                    : ['mysql', '--protocol=TCP', '-h', host, '-P', "$port", '-u', user, '--batch', '--skip-column-names', database]
            run(argv, statements)
        }

        /** Schema and contents of a database as text, to compare two states of it. */
        String snapshot(String database) {
            if (engine == 'postgres') {
                return run(['pg_dump', '-Fp', '--no-comments', '-h', host, '-p', "$port", '-U', user, '-d', database], null)
                        .readLines().findAll { !it.startsWith('\\restrict') && !it.startsWith('\\unrestrict') }.join('\n')
            }
            run(['mysqldump', '--protocol=TCP', '-h', host, '-P', "$port", '-u', user, '--skip-dump-date',
                 '--routines', '--triggers', '--events', '--skip-comments', '--order-by-primary', database], null)
        }

        /** Table names of a database, sorted by code point (not by the server's collation). */
        List<String> tables(String database) {
            String query = engine == 'postgres'
                    ? "SELECT table_schema || '.' || table_name FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1"
                    : "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() ORDER BY 1"
            sql(database, query).readLines().findAll { it }.sort()
        }

        /** Column names of a table, in order. */
        List<String> columns(String database, String table) {
            String query = engine == 'postgres'
                    ? "SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = '${table}' ORDER BY ordinal_position"
                    : "SELECT column_name FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = '${table}' ORDER BY ordinal_position"
            sql(database, query).readLines().findAll { it }
        }

        private void admin(String statement) {
            sql(engine == 'postgres' ? 'postgres' : 'information_schema', statement)
        }

        private String run(List<String> argv, String stdin) {
            ProcessBuilder builder = new ProcessBuilder(argv.collect { it.toString() })
            builder.environment().put(engine == 'postgres' ? 'PGPASSWORD' : 'MYSQL_PWD', password)
            Process process = builder.start()
            Thread feeder = Thread.start {
                process.outputStream.withCloseable { if (stdin != null) { it.write(stdin.getBytes('UTF-8')) } }
            }
            def out = new ByteArrayOutputStream()
            def err = new ByteArrayOutputStream()
            Thread errors = Thread.start { err << process.errorStream }
            out << process.inputStream
            process.waitFor()
            feeder.join()
            errors.join()
            if (process.exitValue() != 0) {
                throw new IllegalStateException("${argv[0]} exited with ${process.exitValue()}: ${err.toString('UTF-8')}")
            }
            out.toString('UTF-8')
        }
    }

    static Server postgres() {
        connect('postgres', 'POSTGRES')
    }

    static Server mariadb() {
        connect('mysql', 'MARIADB')
    }

    static Server server(String engine) {
        engine == 'postgres' ? postgres() : mariadb()
    }

    /** A step of a type, with defaults filled in as the DSL does. */
    static Step.Builder step(String type, String id, Map args) {
        def stepType = TYPES.find(type).orElseThrow { new IllegalStateException("no step type $type") }
        Map all = [:]
        stepType.arguments().each { if (it.defaultValue() != null) all[it.name()] = it.defaultValue() }
        stepType.create(id, all + args)
    }

    private static Server connect(String engine, String part) {
        String prefix = "LOCKSTEP_TESTBED_${part}_"
        Closure<String> env = { String key -> TestbedSettings.find(key - 'LOCKSTEP_TESTBED_') }
        if (!env(prefix + 'HOST')) {
            throw new IllegalStateException("these specs need the testbed's ${part == 'POSTGRES' ? 'PostgreSQL' : 'MariaDB'}: " +
                    'run src/testbed/up (or set LOCKSTEP_TESTBED_HOME, or ' + prefix + 'HOST, _PORT, _USER and _PASSWORD)')
        }
        Server server = new Server(engine: engine, host: env(prefix + 'HOST'), port: env(prefix + 'PORT') as int,
                user: env(prefix + 'USER'), password: env(prefix + 'PASSWORD'))
        try {
            server.sql(engine == 'postgres' ? 'postgres' : 'information_schema', 'SELECT 1')
        } catch (Exception e) {
            throw new IllegalStateException("the testbed's ${part == 'POSTGRES' ? 'PostgreSQL' : 'MariaDB'} at " +
                    "${server.host}:${server.port} does not answer (start it with src/testbed/up): ${e.message}", e)
        }
        server
    }
}
