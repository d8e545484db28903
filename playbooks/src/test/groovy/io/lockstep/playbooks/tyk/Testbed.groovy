package io.lockstep.playbooks.tyk

import io.lockstep.testing.TestbedSettings

import java.nio.file.Files
import java.nio.file.Path

/**
 * The integration testbed (src/testbed/up) as the Tyk playbook specs use it: the Docker CLI, the
 * registry with the stand-in images, PostgreSQL and MariaDB. Settings come from the
 * LOCKSTEP_TESTBED_* variables, else from the env.properties the testbed writes. A testbed that is
 * not up fails the specs with what to do; they are never skipped.
 */
class Testbed {

    static String get(String name) {
        TestbedSettings.get(name)
    }

    static String registry() { get('REGISTRY') }

    static String image(String component, String version) { "${registry()}/${component}:${version}" }

    /** The Docker CLI with the testbed's daemon and registry login; fails on a non-zero exit. */
    static String docker(String... args) {
        run([get('DOCKER_CLI')] + (args as List), [DOCKER_HOST: get('DOCKER_HOST'), DOCKER_CONFIG: get('DOCKER_CONFIG')])
    }

    /** docker, where a failure is expected or harmless: the exit code and the output. */
    static Map dockerQuietly(String... args) {
        runQuietly([get('DOCKER_CLI')] + (args as List), [DOCKER_HOST: get('DOCKER_HOST'), DOCKER_CONFIG: get('DOCKER_CONFIG')])
    }

    /**
     * docker-compose on a file, with the testbed's daemon and registry login. The project is named
     * after the file's directory, as when an operator runs it there.
     */
    static Map compose(Path file, String... args) {
        runQuietly([get('COMPOSE'), '-f', file.toString()] + (args as List),
                [DOCKER_HOST: get('DOCKER_HOST'), DOCKER_CONFIG: get('DOCKER_CONFIG')])
    }

    /** A query on the testbed's PostgreSQL: rows as lines, columns separated by '|'. */
    static String psql(String database, String sql) {
        run(['psql', '-X', '-q', '-tA', '-v', 'ON_ERROR_STOP=1', '-h', get('POSTGRES_HOST'), '-p', get('POSTGRES_PORT'),
             '-U', get('POSTGRES_USER'), '-d', database, '-c', sql], [PGPASSWORD: get('POSTGRES_PASSWORD')]).trim()
    }

    /** The 127.0.0.1 port of Linux test host n's sshd (LOCKSTEP_TESTBED_HOSTS lists name:port). */
    static int hostPort(int n) {
        String entry = get('HOSTS').split(',')[n - 1]
        entry.substring(entry.lastIndexOf(':') + 1) as int
    }

    /** A command as root on Linux test host n, over OpenSSH with the testbed's key and known_hosts; its output. */
    static String onHost(int n, String command) {
        Process p = new ProcessBuilder('ssh', '-i', get('SSH_KEY'), '-o', "UserKnownHostsFile=${get('KNOWN_HOSTS')}",
                '-o', 'StrictHostKeyChecking=yes', '-o', 'BatchMode=yes', '-p', "${hostPort(n)}", "${get('SSH_USER')}@127.0.0.1",
                "sudo sh -c '${command.replace("'", "'\\''")}'").redirectErrorStream(true).start()
        String out = p.inputStream.getText('UTF-8')
        p.waitFor()
        out
    }

    /** A query on the Linux test hosts' PostgreSQL (127.0.0.1:5442 here, db:5432 on the hosts). */
    static String hostsPsql(String database, String sql) {
        run(['psql', '-X', '-q', '-tA', '-v', 'ON_ERROR_STOP=1', '-h', get('HOSTS_POSTGRES_HOST'), '-p', get('HOSTS_POSTGRES_PORT'),
             '-U', get('HOSTS_POSTGRES_USER'), '-d', database, '-c', sql], [PGPASSWORD: get('HOSTS_POSTGRES_PASSWORD')]).trim()
    }

    /** A query on the testbed's MariaDB: rows as lines, columns separated by tabs. */
    static String mariadb(String database, String sql) {
        run(['mariadb', '--protocol=TCP', '-h', get('MARIADB_HOST'), '-P', get('MARIADB_PORT'), '-u', get('MARIADB_USER'),
             '-N', '-B', '-e', sql] + (database ? [database] : []), [MYSQL_PWD: get('MARIADB_PASSWORD')]).trim()
    }

    static void createDatabase(String engine, String name) {
        dropDatabase(engine, name)
        engine == 'postgres' ? psql(get('POSTGRES_DB'), "CREATE DATABASE $name") : mariadb(null, "CREATE DATABASE $name")
    }

    static void dropDatabase(String engine, String name) {
        engine == 'postgres'
                ? psql(get('POSTGRES_DB'), "DROP DATABASE IF EXISTS $name WITH (FORCE)")
                : mariadb(null, "DROP DATABASE IF EXISTS $name")
    }

    /** The portal's connection settings for a database of the testbed. */
    static Map<String, String> portalDatabase(String engine, String name) {
        engine == 'postgres'
                ? [PORTAL_DATABASE_DIALECT         : 'postgres',
                   PORTAL_DATABASE_CONNECTIONSTRING: "host=${get('POSTGRES_HOST')} port=${get('POSTGRES_PORT')} dbname=$name " +
                           "user=${get('POSTGRES_USER')} password=${get('POSTGRES_PASSWORD')} sslmode=disable"]
                : [PORTAL_DATABASE_DIALECT         : 'mysql',
                   PORTAL_DATABASE_CONNECTIONSTRING: "${get('MARIADB_USER')}:${get('MARIADB_PASSWORD')}@tcp(${get('MARIADB_HOST')}:" +
                           "${get('MARIADB_PORT')})/$name?charset=utf8mb4&parseTime=True&loc=Local"]
    }

    static int freePort() {
        new ServerSocket(0, 1, InetAddress.getLoopbackAddress()).withCloseable { it.localPort }
    }

    /** GET a local URL: the status and the body, or status 0 while nothing answers. */
    static Map http(String url) {
        try {
            HttpURLConnection c = (HttpURLConnection) new URL(url).openConnection()
            c.connectTimeout = 2000
            c.readTimeout = 5000
            int status = c.responseCode
            String body = (status < 400 ? c.inputStream : c.errorStream)?.getText('UTF-8') ?: ''
            [status: status, body: body.trim()]
        } catch (IOException ignored) {
            [status: 0, body: '']
        }
    }

    /** Waits up to 30 s for a 200 from the URL; returns the body. */
    static String awaitOk(String url) {
        long deadline = System.nanoTime() + 30_000_000_000L
        Map last = [:]
        while (System.nanoTime() < deadline) {
            last = http(url)
            if (last.status == 200) {
                return last.body
            }
            Thread.sleep(200)
        }
        throw new AssertionError("no 200 from $url within 30 s (last: $last)")
    }

    /**
     * The daemon's events for one container between two instants, as "action" strings in order
     * (create, start, kill, die, stop, destroy, ...), each with its time in nanoseconds.
     */
    static List<Map> containerEvents(String container, long sinceSeconds, long untilSeconds) {
        docker('events', '--since', "$sinceSeconds", '--until', "$untilSeconds", '--filter', 'type=container',
                '--filter', "container=$container", '--format', '{{.Action}} {{.TimeNano}}')
                .readLines().findAll { it }.collect { String line ->
            String[] parts = line.split(' ')
            [action: parts[0], nanos: Long.parseLong(parts[1])]
        }
    }

    private static String run(List<String> command, Map<String, String> env) {
        Map result = runQuietly(command, env)
        if (result.code != 0) {
            throw new IllegalStateException("${command.take(3).join(' ')} ... exited with ${result.code}: ${result.out}")
        }
        result.out
    }

    private static Map runQuietly(List<String> command, Map<String, String> env) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        builder.environment().putAll(env)
        Process process = builder.start()
        String out = process.inputStream.getText('UTF-8')
        [code: process.waitFor(), out: out]
    }
}
