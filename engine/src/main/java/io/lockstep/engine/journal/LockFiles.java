package io.lockstep.engine.journal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lockstep.engine.LockstepException;
import io.lockstep.engine.spi.LockHeldException;
import io.lockstep.engine.spi.LockHolder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * Playbook-and-environment locks as files: {@code <locks>/<key>.lock} holding the holder as JSON.
 *
 * <p>Creating the file with {@code CREATE_NEW} is the atomic test-and-set, and the file outlives
 * the process on purpose: a run that crashed still holds its lock, so nobody else starts on the
 * half-upgraded environment, while a resume of that same run takes it back.
 */
final class LockFiles {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_NAME = 200;

  /** How long to wait for a lock file another process has created but not yet filled. */
  private static final int EMPTY_READ_ATTEMPTS = 20;

  private final Path dir;

  LockFiles(Path dir) {
    this.dir = dir;
  }

  void lock(String key, LockHolder holder) throws IOException {
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir);
      Durability.syncDirectory(dir.getParent());
    }
    Path file = fileFor(key);
    byte[] content = encode(holder);
    while (true) {
      try {
        writeDurably(file, content, StandardOpenOption.CREATE_NEW);
        Durability.syncDirectory(dir);
        return;
      } catch (FileAlreadyExistsException held) {
        Optional<LockHolder> current = read(key, file);
        if (current.isEmpty()) {
          continue; // released between our attempt and the read
        }
        if (!current.get().runId().equals(holder.runId())) {
          throw new LockHeldException(key, current.get());
        }
        replace(file, content);
        return;
      }
    }
  }

  void unlock(String key, String runId) throws IOException {
    Path file = fileFor(key);
    Optional<LockHolder> current = read(key, file);
    if (current.isPresent() && current.get().runId().equals(runId)) {
      Files.deleteIfExists(file);
      Durability.syncDirectory(dir);
    }
  }

  Optional<LockHolder> holder(String key) throws IOException {
    return read(key, fileFor(key));
  }

  /**
   * A readable, collision-free file name: letters, digits and {@code . _ - @ +} stay, anything else
   * becomes {@code %XX} (so {@code portal@prod} stays {@code portal@prod.lock} and {@code a/b}
   * becomes {@code a%2Fb.lock}). Overlong names are cut and made unique with a checksum.
   */
  static String fileName(String key) {
    if (key == null || key.isEmpty()) {
      throw new IllegalArgumentException("lock key must not be empty");
    }
    StringBuilder name = new StringBuilder();
    byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < bytes.length; i++) {
      int b = bytes[i] & 0xff;
      boolean keep =
          (b >= 'a' && b <= 'z')
              || (b >= 'A' && b <= 'Z')
              || (b >= '0' && b <= '9')
              || b == '_'
              || b == '-'
              || b == '@'
              || b == '+'
              || (b == '.' && i > 0);
      if (keep) {
        name.append((char) b);
      } else {
        name.append('%').append(HexFormat.of().withUpperCase().toHexDigits((byte) b));
      }
    }
    if (name.length() > MAX_NAME) {
      CRC32C crc = new CRC32C();
      crc.update(bytes);
      name.setLength(MAX_NAME - 9);
      name.append('~').append(HexFormat.of().toHexDigits((int) crc.getValue()));
    }
    return name.append(".lock").toString();
  }

  private Path fileFor(String key) {
    return dir.resolve(fileName(key));
  }

  /** Rewrites the holder (a resumed run has a new pid) without ever showing a half-written file. */
  private void replace(Path file, byte[] content) throws IOException {
    Path temp = Files.createTempFile(dir, ".lock-", ".tmp");
    try {
      writeDurably(temp, content, StandardOpenOption.TRUNCATE_EXISTING);
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
    Durability.syncDirectory(dir);
  }

  private static void writeDurably(Path file, byte[] content, StandardOpenOption mode)
      throws IOException {
    try (FileChannel channel = FileChannel.open(file, mode, StandardOpenOption.WRITE)) {
      ByteBuffer buffer = ByteBuffer.wrap(content);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(false);
    }
  }

  private Optional<LockHolder> read(String key, Path file) throws IOException {
    for (int attempt = 1; ; attempt++) {
      byte[] content;
      try {
        content = Files.readAllBytes(file);
      } catch (NoSuchFileException gone) {
        return Optional.empty();
      }
      if (content.length > 0) {
        return Optional.of(decode(key, file, content));
      }
      if (attempt == EMPTY_READ_ATTEMPTS) {
        throw new LockstepException(
            "the lock for " + key + " is held, but its file " + file + " is empty",
            "a process probably died while taking the lock; if no run of "
                + key
                + " is active, delete "
                + file);
      }
      pause();
    }
  }

  private static byte[] encode(LockHolder holder) throws IOException {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("runId", holder.runId());
    fields.put("user", holder.user());
    fields.put("host", holder.host());
    fields.put("pid", holder.pid());
    fields.put("since", holder.since().toString());
    return JSON.writeValueAsBytes(fields);
  }

  private static LockHolder decode(String key, Path file, byte[] content) {
    try {
      Map<?, ?> fields = JSON.readValue(content, Map.class);
      return new LockHolder(
          (String) fields.get("runId"),
          (String) fields.get("user"),
          (String) fields.get("host"),
          ((Number) fields.get("pid")).longValue(),
          Instant.parse((String) fields.get("since")));
    } catch (IOException | RuntimeException e) {
      throw new LockstepException(
          "the lock for " + key + " is held, but its file " + file + " is unreadable: " + e,
          "if no run of " + key + " is active, delete " + file,
          e);
    }
  }

  private static void pause() {
    try {
      Thread.sleep(10);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
