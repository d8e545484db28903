package io.lockstep.database;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Set;

/**
 * Where a dump streams to: a new file, its SHA-256 and size computed on the way, so the dump is
 * never held in memory and never read a second time to be checked.
 */
final class DumpOutput extends OutputStream {

  private final FileChannel channel;
  private final MessageDigest digest = FileDigest.newDigest();
  private long size;

  private DumpOutput(FileChannel channel) {
    this.channel = channel;
  }

  /**
   * A new file only its owner can read: a dump holds every row, password hashes included. An
   * existing file is an error, since a partial dump must never be appended to.
   */
  static DumpOutput create(Path file) throws IOException {
    Set<StandardOpenOption> options =
        Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    try {
      return new DumpOutput(
          FileChannel.open(
              file,
              options,
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))));
    } catch (UnsupportedOperationException e) {
      return new DumpOutput(FileChannel.open(file, options));
    }
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] bytes, int offset, int length) throws IOException {
    digest.update(bytes, offset, length);
    ByteBuffer buffer = ByteBuffer.wrap(bytes, offset, length);
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
    size += length;
  }

  /** Forces the content to the disk, so a rename after it publishes a whole file. */
  void sync() throws IOException {
    channel.force(true);
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }

  long size() {
    return size;
  }

  /** The SHA-256 of everything written; call once, after the last write. */
  String sha256() {
    return HexFormat.of().formatHex(digest.digest());
  }
}
