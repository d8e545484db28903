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
 * never held in memory and never read a second time to be checked. A {@link WriteBehind} flushes
 * the file to the disk while it grows, so {@link #sync()} at the end has little left to write.
 */
final class DumpOutput extends OutputStream {

  private final FileChannel channel;
  private final WriteBehind writeBehind;
  private final MessageDigest digest = FileDigest.newDigest();
  private long size;

  private DumpOutput(FileChannel channel, long stride) {
    this.channel = channel;
    this.writeBehind = WriteBehind.start(channel, stride);
  }

  /**
   * A new file only its owner can read: a dump holds every row, password hashes included. An
   * existing file is an error, since a partial dump must never be appended to.
   */
  static DumpOutput create(Path file) throws IOException {
    return create(file, WriteBehind.STRIDE_BYTES);
  }

  /** With write-behind every {@code stride} bytes; tests use a small one. */
  static DumpOutput create(Path file, long stride) throws IOException {
    Set<StandardOpenOption> options =
        Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    try {
      return new DumpOutput(
          FileChannel.open(
              file,
              options,
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))),
          stride);
    } catch (UnsupportedOperationException e) {
      return new DumpOutput(FileChannel.open(file, options), stride);
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
    writeBehind.written(size);
  }

  /**
   * Forces the content to the disk, so a rename after it publishes a whole file: waits for the
   * write-behind's last flush (and fails with its error), then fsyncs whatever is left.
   */
  void sync() throws IOException, InterruptedException {
    writeBehind.finish();
    channel.force(true);
  }

  @Override
  public void close() throws IOException {
    writeBehind.stop();
    channel.close();
  }

  /** How many write-behind flushes ran, for tests. */
  int flushes() {
    return writeBehind.flushes();
  }

  long size() {
    return size;
  }

  /** The SHA-256 of everything written; call once, after the last write. */
  String sha256() {
    return HexFormat.of().formatHex(digest.digest());
  }
}
