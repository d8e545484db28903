package io.lockstep.database;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The SHA-256 and size of a file, read once through a fixed buffer. */
record FileDigest(String sha256, long size) {

  static FileDigest of(Path file) throws IOException {
    MessageDigest digest = newDigest();
    byte[] buffer = new byte[StreamPump.BUFFER_BYTES];
    long size = 0;
    try (InputStream in = Files.newInputStream(file)) {
      int n;
      while ((n = in.read(buffer)) > 0) {
        digest.update(buffer, 0, n);
        size += n;
      }
    }
    return new FileDigest(HexFormat.of().formatHex(digest.digest()), size);
  }

  static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }
}
