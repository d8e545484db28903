package io.lockstep.database;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code backup.json} next to a dump: what it is (engine, server, database, tool and server
 * versions) and its SHA-256 and size, for an operator who finds the file without the journal, and
 * for the restore to cross-check the journal's outputs.
 */
final class BackupManifest {

  static final String FILE_NAME = "backup.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private BackupManifest() {}

  /** Writes it under a temporary name, forces it to disk, then renames it into place. */
  static void write(Path file, Map<String, Object> content) throws IOException {
    Path partial = file.resolveSibling(file.getFileName() + ".partial");
    Files.write(partial, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(content));
    try (FileChannel channel = FileChannel.open(partial, StandardOpenOption.WRITE)) {
      channel.force(true);
    }
    Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** The manifest's content, or {@code null} when there is none. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      return null;
    }
    return JSON.readValue(file.toFile(), LinkedHashMap.class);
  }
}
