package io.lockstep.database;

import io.lockstep.engine.model.StepContext;
import io.lockstep.steps.StepArgs;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * MySQL and MariaDB with {@code mysqldump} and {@code mysql}. The dump is a consistent snapshot
 * ({@code --single-transaction}) with routines, triggers and events, without {@code CREATE
 * DATABASE}, so it restores into the database the step names. The password reaches the tools in a
 * private {@code --defaults-extra-file}, never on their command line.
 *
 * <p>MySQL cannot run DDL in a transaction. A restore first drops every view, table, sequence,
 * routine and event of the database (foreign key checks off, waiting at most 30 seconds for a table
 * another session holds), so tables and columns an upgrade added go too, then loads the dump; a
 * restore that fails half way leaves a partly restored database, and running it again finishes it.
 */
final class MySqlEngine implements DatabaseEngine {

  static final MySqlEngine MYSQL = new MySqlEngine("MySQL");
  static final MySqlEngine MARIADB = new MySqlEngine("MariaDB");

  /** One {@code DROP} statement per object of the current database, views first. */
  static final String DROP_STATEMENTS =
      "SELECT s FROM ("
          + "SELECT 1 AS o, CONCAT('DROP VIEW IF EXISTS `', REPLACE(TABLE_NAME, '`', '``'), '`;')"
          + " AS s FROM information_schema.TABLES"
          + " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'VIEW'"
          + " UNION ALL SELECT 2, CONCAT('DROP ', IF(TABLE_TYPE = 'SEQUENCE', 'SEQUENCE', 'TABLE'),"
          + " ' IF EXISTS `', REPLACE(TABLE_NAME, '`', '``'), '`;') FROM information_schema.TABLES"
          + " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE <> 'VIEW'"
          + " UNION ALL SELECT 3, CONCAT('DROP ', ROUTINE_TYPE, ' IF EXISTS `',"
          + " REPLACE(ROUTINE_NAME, '`', '``'), '`;') FROM information_schema.ROUTINES"
          + " WHERE ROUTINE_SCHEMA = DATABASE()"
          + " UNION ALL SELECT 4, CONCAT('DROP EVENT IF EXISTS `', REPLACE(EVENT_NAME, '`', '``'),"
          + " '`;') FROM information_schema.EVENTS WHERE EVENT_SCHEMA = DATABASE()"
          + ") d ORDER BY o";

  private static final Pattern ERROR_PREFIX =
      Pattern.compile("^(mysqldump|mariadb-dump|mysql|mariadb): (Got error: )?");

  private final String label;

  private MySqlEngine(String label) {
    this.label = label;
  }

  @Override
  public String name() {
    return "mysql";
  }

  @Override
  public String label() {
    return label;
  }

  @Override
  public int defaultPort() {
    return 3306;
  }

  @Override
  public String dumpTool() {
    return "mysqldump";
  }

  @Override
  public String clientTool() {
    return "mysql";
  }

  /** MariaDB's own names come first for MariaDB: newer releases ship the mysql names apart. */
  @Override
  public List<String> programs(String tool) {
    String mariadb = tool.equals("mysqldump") ? "mariadb-dump" : "mariadb";
    return this == MARIADB ? List.of(mariadb, tool) : List.of(tool, mariadb);
  }

  @Override
  public String installHint() {
    return "mariadb-client or mysql-client";
  }

  @Override
  public Login login(Connection c, Transport transport, StepContext ctx) throws IOException {
    List<String> args = new ArrayList<>();
    Transport.PrivateFile file = null;
    if (c.password() != null) {
      // Must be the first option: the tools read option files before anything else.
      file =
          transport.privateFile(
              StepArgs.fileName(ctx.stepId()) + ".cnf",
              // connect-timeout only for the mysql client: mysqldump has no such option and
              // warns about it, and the client's query before every dump fails fast anyway
              "[client]\npassword=\""
                  + optionValue(c.password())
                  + "\"\n[mysql]\nconnect-timeout=10\n",
              ctx);
      args.add("--defaults-extra-file=" + file.path());
    }
    // TCP always: with host 'localhost' the client would otherwise take the socket and ignore port.
    args.add("--protocol=TCP");
    args.add("--host=" + c.host());
    args.add("--port=" + c.port());
    args.add("--user=" + c.user());
    return new Login(args, Map.of(), file);
  }

  @Override
  public List<String> dumpArgs(Connection c) {
    return List.of(
        "--single-transaction",
        "--routines",
        "--triggers",
        "--events",
        "--hex-blob",
        "--no-tablespaces",
        "--default-character-set=utf8mb4",
        c.database());
  }

  @Override
  public List<String> queryArgs(Connection c, String sql) {
    return List.of(
        "--batch",
        "--skip-column-names",
        "--raw",
        "--execute=" + sql,
        "--database=" + c.database());
  }

  @Override
  public String serverInfoQuery() {
    return "SELECT VERSION(), (SELECT COALESCE(SUM(DATA_LENGTH + INDEX_LENGTH), 0)"
        + " FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE())";
  }

  @Override
  public List<String> restoreArgs(Connection c) {
    return List.of("--batch", "--database=" + c.database());
  }

  @Override
  public String restorePrelude(Connection c, Query query) throws IOException, InterruptedException {
    return "SET FOREIGN_KEY_CHECKS = 0;\nSET SESSION lock_wait_timeout = 30;\n"
        + query.run(DROP_STATEMENTS).strip()
        + "\n";
  }

  @Override
  public boolean restoreIsTransactional() {
    return false;
  }

  @Override
  public String explain(Connection c, String stderr) {
    String text = stderr.replaceAll("\\s+", " ");
    String refused = c.describe() + " refused user '" + c.user() + "'";
    if (text.contains("Access denied for user") && text.contains("to database")) {
      return refused + " access to database '" + c.database() + "'";
    }
    if (text.contains("Access denied for user")) {
      return refused + ": access denied (wrong password, or the user may not connect from here)";
    }
    Matcher db = Pattern.compile("Unknown database '([^']*)'").matcher(text);
    if (db.find()) {
      return "database '" + db.group(1) + "' does not exist on " + c.describe();
    }
    if (text.contains("Unknown server host") || text.contains("Unknown MySQL server host")) {
      return "cannot reach " + c.describe() + ": unknown host '" + c.host() + "'";
    }
    if (text.contains("Lock wait timeout exceeded")) {
      return PostgresEngine.LOCKED;
    }
    if (text.contains("Can't connect to")) {
      return "cannot reach "
          + c.describe()
          + ": connection refused or timed out (is the server running and listening there?)";
    }
    List<String> lines =
        stderr
            .strip()
            .lines()
            .map(String::strip)
            .filter(l -> !l.isEmpty() && !l.startsWith("---"))
            .toList();
    String line =
        lines.stream()
            .filter(l -> l.contains("ERROR") || l.contains("error"))
            .findFirst()
            .orElse(lines.isEmpty() ? "" : lines.get(lines.size() - 1));
    return ERROR_PREFIX.matcher(line).replaceFirst("");
  }

  /** A value for a double-quoted option file entry: the escapes the tools' option parser knows. */
  static String optionValue(String value) {
    return value
        .replace("\\", "\\\\")
        .replace("\"", "\\\"")
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        .replace("\t", "\\t");
  }
}
