package io.lockstep.database;

import io.lockstep.engine.model.StepContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PostgreSQL with {@code pg_dump} and {@code psql}. The dump is plain SQL ({@code -Fp}): the file
 * an operator restores by hand with {@code psql -d portal < portal.sql}, as the Tyk portal's
 * rollback guide does. The password reaches both tools in {@code PGPASSWORD}.
 *
 * <p>A restore runs in one transaction ({@code --single-transaction}, {@code ON_ERROR_STOP}): the
 * {@link #PRELUDE} drops every schema, so tables and columns an upgrade added go too, recreates
 * {@code public} with its owner, grants and comment, then the dump recreates the rest. An error
 * anywhere rolls all of it back.
 */
final class PostgresEngine implements DatabaseEngine {

  static final PostgresEngine INSTANCE = new PostgresEngine();

  /**
   * Drops every schema pg_dump dumps (all but the system ones) and recreates {@code public} as it
   * is now: the dump does not create {@code public}, it only adjusts its owner and grants. The lock
   * timeout turns a restore blocked by a still connected application into an error that says so;
   * the dump's own first lines set it back to none.
   */
  static final String PRELUDE =
      """
      SET client_min_messages = warning;
      SET lock_timeout = '30s';
      DO $lockstep$
      DECLARE
        s name;
        g text;
        public_owner regrole;
        public_comment text;
        public_grants text[];
      BEGIN
        SELECT n.nspowner::regrole,
               pg_catalog.obj_description(n.oid, 'pg_namespace'),
               ARRAY(SELECT format('GRANT %s ON SCHEMA public TO %s', a.privilege_type,
                                   CASE WHEN a.grantee = 0 THEN 'PUBLIC'
                                        ELSE a.grantee::regrole::text END)
                     FROM pg_catalog.aclexplode(n.nspacl) a
                     WHERE a.grantee <> n.nspowner)
          INTO public_owner, public_comment, public_grants
          FROM pg_catalog.pg_namespace n
          WHERE n.nspname = 'public';
        FOR s IN
          SELECT nspname FROM pg_catalog.pg_namespace
          WHERE nspname NOT IN ('pg_catalog', 'information_schema')
            AND nspname NOT LIKE 'pg\\_toast%' AND nspname NOT LIKE 'pg\\_temp\\_%'
        LOOP
          EXECUTE format('DROP SCHEMA %I CASCADE', s);
        END LOOP;
        IF public_owner IS NOT NULL THEN
          EXECUTE format('CREATE SCHEMA public AUTHORIZATION %s', public_owner);
          FOREACH g IN ARRAY public_grants LOOP
            EXECUTE g;
          END LOOP;
          EXECUTE format('COMMENT ON SCHEMA public IS %L', public_comment);
        END IF;
      END
      $lockstep$;
      """;

  static final String LOCKED =
      "another session kept the database's tables locked for 30 seconds: stop the application"
          + " that uses the database before restoring it";

  private static final Pattern SERVER_AT =
      Pattern.compile("connection to server at \"[^\"]*\",? port \\d+ failed: ");
  private static final Pattern PREFIX =
      Pattern.compile("^(pg_dump|psql|pg_restore)(:<stdin>:\\d+)?: (error: |detail: )?");

  private PostgresEngine() {}

  @Override
  public String name() {
    return "postgres";
  }

  @Override
  public String label() {
    return "PostgreSQL";
  }

  @Override
  public int defaultPort() {
    return 5432;
  }

  @Override
  public String dumpTool() {
    return "pg_dump";
  }

  @Override
  public String clientTool() {
    return "psql";
  }

  @Override
  public String installHint() {
    return "postgresql-client (pg_dump and psql at least as new as the server)";
  }

  @Override
  public Login login(Connection c, Transport transport, StepContext ctx) {
    Map<String, String> env = new LinkedHashMap<>();
    if (c.password() != null) {
      env.put("PGPASSWORD", c.password());
    }
    // Fail fast on an unreachable host, name the session in pg_stat_activity, and keep the
    // client's own messages in English so explain() recognises them.
    env.put("PGCONNECT_TIMEOUT", "10");
    env.put("PGAPPNAME", "lockstep");
    env.put("LC_MESSAGES", "C");
    List<String> args =
        List.of(
            "--host",
            c.host(),
            "--port",
            String.valueOf(c.port()),
            "--username",
            c.user(),
            "--no-password");
    return new Login(args, env, null);
  }

  @Override
  public List<String> dumpArgs(Connection c) {
    return List.of("-Fp", "--dbname=" + dbname(c.database()));
  }

  @Override
  public List<String> queryArgs(Connection c, String sql) {
    return List.of(
        "-X",
        "-q",
        "-t",
        "-A",
        "-F",
        "\t",
        "-v",
        "ON_ERROR_STOP=1",
        "-c",
        sql,
        "--dbname=" + dbname(c.database()));
  }

  @Override
  public String serverInfoQuery() {
    return "SELECT current_setting('server_version'), pg_database_size(current_database())";
  }

  @Override
  public List<String> restoreArgs(Connection c) {
    return List.of(
        "-X",
        "-q",
        "--single-transaction",
        "-v",
        "ON_ERROR_STOP=1",
        "--dbname=" + dbname(c.database()));
  }

  @Override
  public String restorePrelude(Connection c, Query query) {
    return PRELUDE;
  }

  @Override
  public boolean restoreIsTransactional() {
    return true;
  }

  @Override
  public String explain(Connection c, String stderr) {
    String text = stderr.replaceAll("\\s+", " ");
    String refused = c.describe() + " refused user '" + c.user() + "': ";
    if (text.contains("password authentication failed")) {
      return refused + "password authentication failed";
    }
    if (text.contains("no password supplied")) {
      return refused + "it asks for a password and none was given (password: secret('...'))";
    }
    Matcher role = Pattern.compile("role \"([^\"]*)\" does not exist").matcher(text);
    if (role.find()) {
      return refused + "no such role";
    }
    if (text.contains("no pg_hba.conf entry")) {
      return refused + "no pg_hba.conf entry allows this connection";
    }
    Matcher db = Pattern.compile("FATAL: database \"([^\"]*)\" does not exist").matcher(text);
    if (db.find()) {
      return "database '" + db.group(1) + "' does not exist on " + c.describe();
    }
    if (text.contains("Connection refused")) {
      return "cannot reach "
          + c.describe()
          + ": connection refused (is the server running and accepting TCP connections there?)";
    }
    if (text.contains("timeout expired")) {
      return "cannot reach " + c.describe() + ": no answer within 10 seconds";
    }
    if (text.contains("could not translate host name")) {
      return "cannot reach " + c.describe() + ": unknown host '" + c.host() + "'";
    }
    if (text.contains("canceling statement due to lock timeout")) {
      return LOCKED;
    }
    if (text.contains("server version mismatch")) {
      Matcher versions =
          Pattern.compile("server version: ([^;]+); pg_dump version: ([^ ]+)").matcher(text);
      return "pg_dump is older than "
          + c.describe()
          + (versions.find()
              ? " (server " + versions.group(1).strip() + ", pg_dump " + versions.group(2) + ")"
              : "")
          + ": install a pg_dump at least as new as the server, or point tools.pg_dump at one";
    }
    return firstError(stderr);
  }

  /** The first line that says what went wrong, without the tool's prefix. */
  private static String firstError(String stderr) {
    List<String> lines =
        stderr.strip().lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    String line =
        lines.stream()
            .filter(l -> l.contains("ERROR:") || l.contains("FATAL:") || l.contains("error:"))
            .findFirst()
            .orElse(lines.isEmpty() ? "" : lines.get(lines.size() - 1));
    line = PREFIX.matcher(line).replaceFirst("");
    line = SERVER_AT.matcher(line).replaceFirst("");
    return line.replaceAll("\\s+", " ").strip();
  }

  /**
   * The value of {@code --dbname}: the name itself, unless libpq would read it as a connection
   * string (an {@code =} or a URI prefix); then a quoted {@code dbname='...'}.
   */
  static String dbname(String database) {
    if (!database.contains("=")
        && !database.startsWith("postgres://")
        && !database.startsWith("postgresql://")) {
      return database;
    }
    return "dbname='" + database.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }
}
