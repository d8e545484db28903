package io.lockstep.engine.journal;

import io.lockstep.engine.spi.JournalCorruptedException;
import io.lockstep.engine.spi.JournalRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The records of a journal file, read once, and where its valid part ends.
 *
 * <p>A crash in the middle of an append leaves at most a damaged tail: the lines after the last
 * valid record. That tail is ignored here (and cut off by the next append), because nothing in it
 * was ever acknowledged. A damaged line with valid records after it cannot come from a crash, so it
 * is reported as corruption rather than guessed around.
 *
 * @param records the valid records, seq 1 to n
 * @param validLength bytes of the file holding them; anything after is a torn tail
 * @param fileLength the file's length when read
 */
record JournalScan(List<JournalRecord> records, long validLength, long fileLength) {

  private static final Logger LOG = LoggerFactory.getLogger(JournalScan.class);

  JournalScan {
    records = List.copyOf(records);
  }

  boolean hasTornTail() {
    return fileLength > validLength;
  }

  /**
   * Reads {@code file}.
   *
   * @throws JournalCorruptedException when a damaged record is followed by a valid one, or seq
   *     numbers do not run 1, 2, 3...
   */
  static JournalScan read(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    List<JournalRecord> records = new ArrayList<>();
    int start = 0;
    int lineNumber = 1;
    while (start < bytes.length) {
      int newline = indexOf(bytes, (byte) '\n', start);
      int end = newline < 0 ? bytes.length : newline;
      String problem = null;
      if (newline < 0) {
        problem = "no trailing newline";
      } else {
        try {
          JournalRecord record = RecordCodec.decode(bytes, start, end);
          long expected = records.size() + 1L;
          if (record.seq() != expected) {
            throw new JournalCorruptedException(
                file.toString(),
                lineNumber,
                "seq " + record.seq() + " where " + expected + " belongs");
          }
          records.add(record);
        } catch (RecordCodec.BadLineException e) {
          problem = e.getMessage();
        }
      }
      if (problem != null) {
        return tornTail(file, bytes, records, start, end, lineNumber, problem);
      }
      start = end + 1;
      lineNumber++;
    }
    return new JournalScan(records, bytes.length, bytes.length);
  }

  /** The first bad line at {@code start}: a torn tail if no valid record follows it. */
  private static JournalScan tornTail(
      Path file,
      byte[] bytes,
      List<JournalRecord> records,
      int start,
      int end,
      int lineNumber,
      String problem) {
    int next = end + 1;
    while (next < bytes.length) {
      int newline = indexOf(bytes, (byte) '\n', next);
      int nextEnd = newline < 0 ? bytes.length : newline;
      try {
        RecordCodec.decode(bytes, next, nextEnd);
        throw new JournalCorruptedException(file.toString(), lineNumber, problem);
      } catch (RecordCodec.BadLineException stillDamaged) {
        next = nextEnd + 1;
      }
    }
    LOG.warn(
        "{}:{}: ignoring torn last record ({}, {} bytes); it was never acknowledged and will be"
            + " cut off before the next append",
        file,
        lineNumber,
        problem,
        bytes.length - start);
    return new JournalScan(records, start, bytes.length);
  }

  private static int indexOf(byte[] bytes, byte wanted, int from) {
    for (int i = from; i < bytes.length; i++) {
      if (bytes[i] == wanted) {
        return i;
      }
    }
    return -1;
  }
}
