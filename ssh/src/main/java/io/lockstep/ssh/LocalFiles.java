package io.lockstep.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/** Digests of transferred files, streamed so memory stays flat, and names for temporary copies. */
final class LocalFiles {

  private static final SecureRandom RANDOM = new SecureRandom();

  private LocalFiles() {}

  static String sha256(Path file) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
    byte[] buffer = new byte[65536];
    try (InputStream in = Files.newInputStream(file)) {
      int n;
      while ((n = in.read(buffer)) > 0) {
        digest.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  /** 16 random hex digits: temporary names that two runs never share. */
  static String randomSuffix() {
    byte[] bytes = new byte[8];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  /** The directory part of a remote absolute path ({@code /} for {@code /x}). */
  static String remoteParent(String path) {
    int slash = path.lastIndexOf('/');
    return slash <= 0 ? "/" : path.substring(0, slash);
  }

  /** The last name of a remote path. */
  static String remoteName(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }
}
