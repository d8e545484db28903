package io.lockstep.database;

/**
 * What the server says about itself and the database, asked before a dump or restore: proof that it
 * is reachable with these credentials, and the size the free-space check compares.
 *
 * @param sizeBytes the database's size on the server, or -1 when unknown
 */
record ServerInfo(String version, long sizeBytes) {

  /** Parses the one tab-separated row of {@link DatabaseEngine#serverInfoQuery()}. */
  static ServerInfo parse(String row) {
    String[] fields = row.strip().split("\t");
    long size;
    try {
      size = fields.length > 1 ? Long.parseLong(fields[1].strip()) : -1;
    } catch (NumberFormatException e) {
      size = -1;
    }
    return new ServerInfo(fields[0].strip(), size);
  }
}
