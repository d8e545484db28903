package io.lockstep.steps.files;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;

/** Copying, deleting and swapping file trees, keeping permissions, times and symbolic links. */
final class FileTrees {

  private FileTrees() {}

  /**
   * Copies a file or a directory tree to {@code target}, which must not exist. A symbolic link as
   * {@code source} is followed; links inside a tree are copied as links. Sockets and pipes are
   * skipped.
   */
  static void copy(Path source, Path target) throws IOException {
    Path start = Files.isSymbolicLink(source) ? source.toRealPath() : source;
    if (!Files.isDirectory(start)) {
      Files.copy(start, target, StandardCopyOption.COPY_ATTRIBUTES);
      return;
    }
    Files.walkFileTree(
        start,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
              throws IOException {
            Files.createDirectory(target.resolve(start.relativize(dir).toString()));
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Path copy = target.resolve(start.relativize(file).toString());
            if (attrs.isSymbolicLink()) {
              Files.createSymbolicLink(copy, Files.readSymbolicLink(file));
            } else if (attrs.isRegularFile()) {
              Files.copy(file, copy, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException failure)
              throws IOException {
            if (failure != null) {
              throw failure;
            }
            copyAttributes(dir, target.resolve(start.relativize(dir).toString()));
            return FileVisitResult.CONTINUE;
          }
        });
  }

  /** Deletes a file, a link or a whole tree; nothing when it does not exist. */
  static void delete(Path path) throws IOException {
    if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    if (!Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
      Files.delete(path);
      return;
    }
    Files.walkFileTree(
        path,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Files.delete(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException failure)
              throws IOException {
            if (failure != null && !(failure instanceof NoSuchFileException)) {
              throw failure;
            }
            Files.delete(dir);
            return FileVisitResult.CONTINUE;
          }
        });
  }

  /**
   * Puts {@code replacement} (a sibling of {@code target}) in place of {@code target}. A file
   * replaces a file with one atomic rename; otherwise the old entry is renamed aside, the
   * replacement renamed in, and the old entry deleted, renamed back if the second rename fails.
   */
  static void replace(Path replacement, Path target) throws IOException {
    boolean exists = Files.exists(target, LinkOption.NOFOLLOW_LINKS);
    boolean directories =
        Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)
            || Files.isDirectory(replacement, LinkOption.NOFOLLOW_LINKS);
    if (!exists || !directories) {
      move(replacement, target, true);
      return;
    }
    Path aside = sibling(target, "old");
    move(target, aside, false);
    try {
      move(replacement, target, false);
    } catch (IOException e) {
      move(aside, target, false);
      throw e;
    }
    delete(aside);
  }

  /** A hidden, unused name next to {@code path}: {@code .name.lockstep-<purpose>-<random>}. */
  static Path sibling(Path path, String purpose) {
    String name = path.getFileName() == null ? "root" : path.getFileName().toString();
    return path.resolveSibling(
        "." + name + ".lockstep-" + purpose + "-" + Long.toHexString(System.nanoTime()));
  }

  private static void move(Path from, Path to, boolean replace) throws IOException {
    try {
      if (replace) {
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } else {
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
      }
    } catch (AtomicMoveNotSupportedException e) {
      if (replace) {
        Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
      } else {
        Files.move(from, to);
      }
    }
  }

  private static void copyAttributes(Path from, Path to) throws IOException {
    PosixFileAttributeView posix = Files.getFileAttributeView(to, PosixFileAttributeView.class);
    if (posix != null) {
      PosixFileAttributes attrs = Files.readAttributes(from, PosixFileAttributes.class);
      posix.setPermissions(attrs.permissions());
    }
    BasicFileAttributes times = Files.readAttributes(from, BasicFileAttributes.class);
    Files.getFileAttributeView(to, BasicFileAttributeView.class)
        .setTimes(times.lastModifiedTime(), times.lastAccessTime(), null);
  }
}
