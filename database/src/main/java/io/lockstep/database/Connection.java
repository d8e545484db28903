package io.lockstep.database;

/**
 * A database as a step reaches it, with secrets resolved: only ever built inside an action. {@link
 * #toString()} leaves the password out.
 *
 * @param password the password, or {@code null} to let the tool find one itself ({@code ~/.pgpass},
 *     {@code ~/.my.cnf})
 */
record Connection(
    DatabaseEngine engine, String host, int port, String database, String user, String password) {

  /** {@code PostgreSQL at 127.0.0.1:5433}, for messages. */
  String describe() {
    return engine.label() + " at " + host + ":" + port;
  }

  @Override
  public String toString() {
    return "database '" + database + "' on " + describe() + " as '" + user + "'";
  }
}
