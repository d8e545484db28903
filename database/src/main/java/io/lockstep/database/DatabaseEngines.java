package io.lockstep.database;

import java.util.Locale;

/** The database engines a playbook can name, with their aliases. */
final class DatabaseEngines {

  static final String KNOWN = "postgres (alias postgresql), mysql, mariadb";

  private DatabaseEngines() {}

  /**
   * The engine named {@code name}; {@code mariadb} is the MySQL engine under MariaDB's name, so
   * messages call the server what the playbook calls it.
   *
   * @throws IllegalArgumentException naming the known engines
   */
  static DatabaseEngine named(String name) {
    return switch (name == null ? "" : name.toLowerCase(Locale.ROOT)) {
      case "postgres", "postgresql" -> PostgresEngine.INSTANCE;
      case "mysql" -> MySqlEngine.MYSQL;
      case "mariadb" -> MySqlEngine.MARIADB;
      default ->
          throw new IllegalArgumentException(
              "unknown engine '" + name + "': known engines are " + KNOWN);
    };
  }
}
