package io.lockstep.database;

import io.lockstep.engine.model.StepContext;
import java.io.IOException;
import java.util.List;

/**
 * One kind of database server and its native tools: how to log in, dump, query and restore, and how
 * to turn the tools' error output into one line an operator can act on. {@link DatabaseEngines}
 * maps the names a playbook uses ({@code postgres}, {@code mysql}, {@code mariadb}) to
 * implementations.
 */
interface DatabaseEngine {

  /** The canonical name, recorded in outputs: {@code postgres} or {@code mysql}. */
  String name();

  /** The server's name in messages: {@code PostgreSQL}, {@code MySQL}, {@code MariaDB}. */
  String label();

  int defaultPort();

  /** The tool that writes a dump to stdout: {@code pg_dump}. */
  String dumpTool();

  /** The client that runs SQL from stdin or a query: {@code psql}. */
  String clientTool();

  /** The tools a playbook may point elsewhere with {@code tools}. */
  default List<String> tools() {
    return List.of(dumpTool(), clientTool());
  }

  /** The programs tried for a tool nobody pointed elsewhere; the first that exists is used. */
  default List<String> programs(String tool) {
    return List.of(tool);
  }

  /** What to install when a tool is missing: {@code postgresql-client}. */
  String installHint();

  /** Arguments and environment that make every tool reach and authenticate to the server. */
  Login login(Connection c, Transport transport, StepContext ctx) throws IOException;

  /** Arguments after the login's that make {@link #dumpTool()} write the database to stdout. */
  List<String> dumpArgs(Connection c);

  /**
   * Arguments after the login's that make {@link #clientTool()} print a query's rows,
   * tab-separated.
   */
  List<String> queryArgs(Connection c, String sql);

  /** A query whose one row is the server's version and the database's size in bytes. */
  String serverInfoQuery();

  /** Arguments after the login's that make {@link #clientTool()} run the SQL on its stdin. */
  List<String> restoreArgs(Connection c);

  /**
   * SQL sent before the dump on a restore: it removes whatever the dump would not overwrite
   * (tables, columns and schemas created after the backup), so the database ends up exactly as
   * dumped.
   */
  String restorePrelude(Connection c, Query query) throws IOException, InterruptedException;

  /** Whether a failed restore leaves the database as it was (one transaction). */
  boolean restoreIsTransactional();

  /** The tools' error output as one readable line, naming the server, user or database at fault. */
  String explain(Connection c, String stderr);

  /** Runs a query through the client and returns its output. */
  @FunctionalInterface
  interface Query {
    String run(String sql) throws IOException, InterruptedException;
  }
}
