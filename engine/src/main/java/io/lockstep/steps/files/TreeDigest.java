package io.lockstep.steps.files;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.TreeMap;

/**
 * SHA-256 of a file, or of a directory tree: the digest of one line per entry, sorted by relative
 * path ({@code F path sha256} for a file, {@code D path} for a directory, {@code L path -> target}
 * for a symbolic link). A symbolic link given as the root is followed; links inside a tree are not.
 * Sockets and pipes are ignored, as {@link FileTrees#copy} ignores them.
 */
record TreeDigest(String sha256, long bytes, long files) {

  static TreeDigest of(Path root) throws IOException {
    Path start = Files.isSymbolicLink(root) ? root.toRealPath() : root;
    if (!Files.isDirectory(start)) {
      return new TreeDigest(fileSha256(start), Files.size(start), 1);
    }
    TreeMap<String, String> entries = new TreeMap<>();
    long[] totals = new long[2];
    Files.walkFileTree(
        start,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
            if (!dir.equals(start)) {
              entries.put(relative(start, dir), "D");
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            String path = relative(start, file);
            if (attrs.isSymbolicLink()) {
              entries.put(path, "L -> " + Files.readSymbolicLink(file));
            } else if (attrs.isRegularFile()) {
              entries.put(path, "F " + fileSha256(file));
              totals[0] += attrs.size();
              totals[1]++;
            }
            return FileVisitResult.CONTINUE;
          }
        });
    MessageDigest digest = newDigest();
    entries.forEach(
        (path, entry) -> {
          int space = entry.indexOf(' ');
          String kind = space < 0 ? entry : entry.substring(0, space);
          String rest = space < 0 ? "" : entry.substring(space);
          digest.update((kind + " " + path + rest + "\n").getBytes(StandardCharsets.UTF_8));
        });
    return new TreeDigest(HexFormat.of().formatHex(digest.digest()), totals[0], totals[1]);
  }

  static String fileSha256(Path file) throws IOException {
    MessageDigest digest = newDigest();
    byte[] buffer = new byte[64 * 1024];
    try (InputStream in = Files.newInputStream(file)) {
      int n;
      while ((n = in.read(buffer)) > 0) {
        digest.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  static boolean exists(Path path) {
    return Files.exists(path, LinkOption.NOFOLLOW_LINKS);
  }

  static String relative(Path root, Path entry) {
    return root.relativize(entry).toString().replace('\\', '/');
  }

  private static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new UncheckedIOException(new IOException("SHA-256 is not available", e));
    }
  }
}
