package io.lockstep.steps;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Files written whole or not at all: the bytes go to a hidden sibling, are forced to disk, and the
 * sibling is renamed over the file. A reader (or a run that dies halfway) sees the old content or
 * the new, never a mix. Records a step must find again after a crash are written this way, and so
 * are the user's files a step edits.
 */
public final class AtomicFiles {

  private AtomicFiles() {}

  /**
   * Replaces {@code file} with {@code bytes}. An existing file keeps its permissions; a symbolic
   * link is followed, so the link stays and its target gets the new content.
   */
  public static void write(Path file, byte[] bytes) throws IOException {
    write(file, bytes, false);
  }

  /**
   * As {@link #write(Path, byte[])}, readable by the owner alone: for records that hold a
   * container's environment, where passwords live that no secret reference names.
   */
  public static void writePrivate(Path file, byte[] bytes) throws IOException {
    write(file, bytes, true);
  }

  private static void write(Path file, byte[] bytes, boolean ownerOnly) throws IOException {
    Path target =
        Files.isSymbolicLink(file) && Files.exists(file)
            ? file.toRealPath()
            : file.toAbsolutePath();
    Files.createDirectories(target.getParent());
    Path tmp =
        target.resolveSibling(
            "." + target.getFileName() + ".lockstep-" + Long.toHexString(System.nanoTime()));
    try {
      try (FileChannel channel =
          FileChannel.open(
              tmp,
              StandardOpenOption.CREATE_NEW,
              StandardOpenOption.WRITE,
              StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
      if (ownerOnly) {
        ownerOnly(tmp);
      } else {
        keepPermissions(target, tmp);
      }
      try {
        Files.move(
            tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static void ownerOnly(Path file) throws IOException {
    PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
    if (view != null) {
      view.setPermissions(PosixFilePermissions.fromString("rw-------"));
    }
  }

  /**
   * An operator's 0640 compose file or manifest must not come back 0644 because the step rewrote
   * it.
   */
  private static void keepPermissions(Path original, Path replacement) throws IOException {
    if (!Files.exists(original, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    PosixFileAttributeView from =
        Files.getFileAttributeView(original, PosixFileAttributeView.class);
    PosixFileAttributeView to =
        Files.getFileAttributeView(replacement, PosixFileAttributeView.class);
    if (from != null && to != null) {
      to.setPermissions(from.readAttributes().permissions());
    }
  }
}
