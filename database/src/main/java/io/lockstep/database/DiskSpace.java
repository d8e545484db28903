package io.lockstep.database;

import io.lockstep.steps.StepFailedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The free-space check before a dump, best effort: the database's size on the server is only an
 * estimate of its dump (indexes are not dumped, compressed values are), but a disk with less free
 * space than the database takes would most likely fill up half way through, and a dump that fails
 * after ten minutes helps nobody.
 */
final class DiskSpace {

  private DiskSpace() {}

  static void check(Connection c, long databaseBytes, Path dir) throws IOException {
    String shortage =
        shortage(c.database(), databaseBytes, dir, Files.getFileStore(dir).getUsableSpace());
    if (shortage != null) {
      throw new StepFailedException(shortage);
    }
  }

  /** The message when {@code usable} bytes cannot hold the database, else {@code null}. */
  static String shortage(String database, long databaseBytes, Path dir, long usable) {
    if (databaseBytes < 0 || usable >= databaseBytes) {
      return null;
    }
    return "not enough free space for the dump of database '"
        + database
        + "': it takes "
        + human(databaseBytes)
        + " on the server and "
        + dir
        + " has "
        + human(usable)
        + " free; free space there, or give the run a store on a larger disk (--store)";
  }

  /** {@code 512 bytes}, {@code 7.6 MB}, {@code 12.3 GB}. */
  static String human(long bytes) {
    if (bytes < 1024) {
      return bytes + " bytes";
    }
    String[] units = {"KB", "MB", "GB", "TB", "PB"};
    double value = bytes;
    int unit = -1;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
  }
}
