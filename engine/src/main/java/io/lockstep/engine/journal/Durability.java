package io.lockstep.engine.journal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * Syncs directories. A new file survives a machine crash only once the directory entry naming it is
 * durable too, which a sync of the file alone does not promise on Linux.
 */
final class Durability {

  /** Windows cannot open a directory as a channel; NTFS journals its directory updates anyway. */
  private static final boolean DIRECTORY_SYNC =
      !System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");

  private Durability() {}

  /** Makes the entries of {@code directory} (files created, renamed or deleted in it) durable. */
  static void syncDirectory(Path directory) throws IOException {
    if (!DIRECTORY_SYNC) {
      return;
    }
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }
}
