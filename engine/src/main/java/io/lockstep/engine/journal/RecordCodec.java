package io.lockstep.engine.journal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lockstep.engine.spi.JournalRecord;
import io.lockstep.engine.spi.RecordType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * Turns a {@link JournalRecord} into one journal line and back.
 *
 * <p>A line is {@code {"c":"<crc32c>","r":<record>}\n}. The envelope has a fixed shape so the
 * checksum can be verified against the record's bytes exactly as written, before anything is
 * parsed: a torn or damaged line is rejected, never half-read. Every line is still plain JSON, so
 * {@code jq} and friends read the journal as JSON Lines.
 */
final class RecordCodec {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private static final HexFormat HEX = HexFormat.of();
  private static final byte[] HEAD = ascii("{\"c\":\"");
  private static final byte[] MIDDLE = ascii("\",\"r\":");
  private static final int CRC_DIGITS = 8;
  private static final int RECORD_START = HEAD.length + CRC_DIGITS + MIDDLE.length;

  private RecordCodec() {}

  /**
   * The full line for {@code record}, trailing newline included.
   *
   * @throws IllegalArgumentException when data holds something other than JSON values
   */
  static byte[] encode(JournalRecord record) {
    requireJsonValue(record.data(), "data");
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("seq", record.seq());
    fields.put("at", record.at().toString());
    fields.put("type", record.type().name());
    if (record.stepId() != null) {
      fields.put("step", record.stepId());
    }
    fields.put("data", record.data());
    byte[] body;
    try {
      body = JSON.writeValueAsBytes(fields);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("journal record cannot be written as JSON: " + e, e);
    }
    byte[] line = new byte[RECORD_START + body.length + 2];
    System.arraycopy(HEAD, 0, line, 0, HEAD.length);
    byte[] crc = ascii(HEX.toHexDigits((int) crc32c(body, 0, body.length)));
    System.arraycopy(crc, 0, line, HEAD.length, CRC_DIGITS);
    System.arraycopy(MIDDLE, 0, line, HEAD.length + CRC_DIGITS, MIDDLE.length);
    System.arraycopy(body, 0, line, RECORD_START, body.length);
    line[line.length - 2] = '}';
    line[line.length - 1] = '\n';
    return line;
  }

  /** Decodes a line {@link #encode} just produced. */
  static JournalRecord readBack(byte[] line) {
    try {
      return decode(line, 0, line.length - 1);
    } catch (BadLineException e) {
      throw new IllegalStateException("a journal line does not read back: " + e.getMessage(), e);
    }
  }

  /**
   * Decodes the line in {@code bytes[from, to)}, without its newline.
   *
   * @throws BadLineException saying what is wrong with it
   */
  static JournalRecord decode(byte[] bytes, int from, int to) throws BadLineException {
    int length = to - from;
    if (length < RECORD_START + 3
        || !Arrays.equals(bytes, from, from + HEAD.length, HEAD, 0, HEAD.length)
        || !Arrays.equals(
            bytes, from + HEAD.length + CRC_DIGITS, from + RECORD_START, MIDDLE, 0, MIDDLE.length)
        || bytes[to - 1] != '}') {
      throw new BadLineException("not a journal line");
    }
    String stored = new String(bytes, from + HEAD.length, CRC_DIGITS, StandardCharsets.ISO_8859_1);
    int bodyStart = from + RECORD_START;
    int bodyLength = to - 1 - bodyStart;
    String computed = HEX.toHexDigits((int) crc32c(bytes, bodyStart, bodyLength));
    if (!computed.equals(stored)) {
      throw new BadLineException("checksum mismatch: stored " + stored + ", computed " + computed);
    }
    Map<?, ?> fields;
    try {
      fields = JSON.readValue(bytes, bodyStart, bodyLength, Map.class);
    } catch (JsonProcessingException e) {
      throw new BadLineException("record does not parse: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new BadLineException("record does not parse: " + e.getMessage());
    }
    return toRecord(fields);
  }

  @SuppressWarnings("unchecked")
  private static JournalRecord toRecord(Map<?, ?> fields) throws BadLineException {
    Object seq = fields.get("seq");
    if (!(seq instanceof Integer || seq instanceof Long)
        || !(fields.get("at") instanceof String at)
        || !(fields.get("type") instanceof String type)) {
      throw new BadLineException("record lacks seq, at or type");
    }
    Object step = fields.get("step");
    Object data = fields.get("data");
    if ((step != null && !(step instanceof String)) || (data != null && !(data instanceof Map))) {
      throw new BadLineException("record has a malformed step or data");
    }
    try {
      return new JournalRecord(
          ((Number) seq).longValue(),
          Instant.parse(at),
          RecordType.valueOf(type),
          (String) step,
          (Map<String, Object>) data);
    } catch (DateTimeParseException e) {
      throw new BadLineException("record time does not parse: " + at);
    } catch (IllegalArgumentException e) {
      throw new BadLineException("unknown record type " + type);
    }
  }

  /**
   * Rejects values that would not read back as themselves; the journal must replay exactly what the
   * engine saw, so a Path or an Instant silently turned into a bean or a string is refused.
   */
  private static void requireJsonValue(Object value, String where) {
    if (value == null
        || value instanceof String
        || value instanceof Number
        || value instanceof Boolean) {
      return;
    }
    if (value instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        if (!(entry.getKey() instanceof String key)) {
          throw new IllegalArgumentException(
              "journal data at " + where + " has a non-string key: " + entry.getKey());
        }
        requireJsonValue(entry.getValue(), where + "." + key);
      }
      return;
    }
    if (value instanceof Collection<?> list) {
      int index = 0;
      for (Object item : list) {
        requireJsonValue(item, where + "[" + index++ + "]");
      }
      return;
    }
    throw new IllegalArgumentException(
        "journal data at "
            + where
            + " is a "
            + value.getClass().getName()
            + "; only strings, numbers, booleans, null, lists and maps can be journaled");
  }

  private static long crc32c(byte[] bytes, int offset, int length) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, offset, length);
    return crc.getValue();
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  /** A line that is not a valid journal record; the message says why. */
  static final class BadLineException extends Exception {
    BadLineException(String problem) {
      super(problem);
    }
  }
}
