package io.lockstep.docker;

import io.lockstep.steps.EditedFiles;
import io.lockstep.steps.StepFailedException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A compose file read as text, to find and replace the {@code image:} value of one service without
 * touching any other byte. Operators keep comments in these files, review them with diff and keep
 * them in version control; loading and re-writing the YAML would reorder keys, drop comments and
 * change quoting, so the file is never re-serialised: the value's characters are replaced in place.
 *
 * <p>It reads the block-style YAML compose files are written in: services under a top-level {@code
 * services:} key (file formats 2 and 3), or as top-level keys (format 1); keys plain or quoted;
 * image values plain, single- or double-quoted, with or without a trailing comment. What it cannot
 * edit safely (flow style, anchors and aliases, merge keys, values over several lines, variables)
 * is refused with a message that says so, never guessed at.
 */
final class ComposeFile {

  /**
   * Where a service's image is written.
   *
   * @param service the service
   * @param image the value, without quotes
   * @param line its line number, from 1
   * @param start offset in the text of the value's first character (its opening quote, if any)
   * @param end offset just after its last character (its closing quote, if any)
   * @param quote {@code '"'}, {@code '\''}, or {@code 0} for a plain value
   */
  record ImageEntry(String service, String image, int line, int start, int end, char quote) {}

  /** One line: offsets into the text, its indentation, and its content without indentation. */
  private record Line(int number, int start, int end, int indent, String content) {
    boolean blank() {
      return content.isBlank() || content.strip().startsWith("#");
    }
  }

  /** A {@code key: value} line: the key without quotes, where its value starts. */
  private record Key(String name, int valueStart) {}

  private final Path path;
  private final byte[] bytes;
  private final String text;
  private final List<Line> lines;
  private final Map<String, Line> services = new LinkedHashMap<>();
  private final List<String> rootKeys = new ArrayList<>();

  private ComposeFile(Path path, byte[] bytes, String text) {
    this.path = path;
    this.bytes = bytes;
    this.text = text;
    this.lines = split(text);
    findServices();
  }

  /**
   * Reads and parses a compose file.
   *
   * @throws StepFailedException when it is missing, not UTF-8, or not a compose file this class can
   *     edit
   */
  static ComposeFile read(Path path) throws IOException {
    if (!Files.exists(path)) {
      throw new StepFailedException("compose file " + path + " does not exist");
    }
    if (!Files.isRegularFile(path)) {
      throw new StepFailedException("compose file " + path + " is not a regular file");
    }
    return parse(path, Files.readAllBytes(path));
  }

  /** Parses the bytes of a compose file; {@code path} only names it in messages. */
  static ComposeFile parse(Path path, byte[] bytes) {
    try {
      String text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString();
      return new ComposeFile(path, bytes, text);
    } catch (CharacterCodingException e) {
      throw new StepFailedException("cannot edit " + path + ": it is not UTF-8 text");
    }
  }

  byte[] bytes() {
    return bytes.clone();
  }

  /** The service names, in file order. */
  List<String> services() {
    return List.copyOf(services.keySet());
  }

  /**
   * Whether {@code service} may be defined: it is, or the file includes other files ({@code
   * include:}) that this class does not read.
   */
  boolean mayDefine(String service) {
    return services.containsKey(service) || rootKeys.contains("include");
  }

  /**
   * Where the image of {@code service} is written.
   *
   * @throws StepFailedException when there is no such service, it has no {@code image:} line, or
   *     its value cannot be edited as text
   */
  ImageEntry image(String service) {
    Line key = services.get(service);
    if (key == null) {
      throw noSuchService(service);
    }
    String inline = plainValue(key, key(key).valueStart());
    if (!inline.isEmpty()) {
      throw refused(
          key,
          "service '"
              + service
              + "' is written as '"
              + inline
              + "'; only a block mapping (its settings on the lines below it) can be edited");
    }
    Line image = null;
    Line build = null;
    Line merge = null;
    int childIndent = -1;
    for (Line line : lines.subList(key.number(), lines.size())) {
      if (line.blank()) {
        continue;
      }
      if (line.indent() <= key.indent()) {
        break;
      }
      if (childIndent < 0) {
        childIndent = line.indent();
      }
      if (line.indent() != childIndent || line.content().startsWith("-")) {
        continue; // nested settings, or the items of a list written at its key's indentation
      }
      Key setting = key(line);
      if (setting == null) {
        continue;
      }
      switch (setting.name()) {
        case "image" -> {
          if (image != null) {
            throw refused(
                line,
                "service '"
                    + service
                    + "' has a second image: line (the first is line "
                    + image.number()
                    + ")");
          }
          image = line;
        }
        case "build" -> build = line;
        case "<<" -> merge = line;
        default -> {
          // other settings stay as they are
        }
      }
    }
    if (image == null) {
      throw noImage(service, build, merge);
    }
    return imageValue(service, image);
  }

  /** The file's bytes with the image of {@code entry} replaced, quoted as it was. */
  byte[] withImage(ImageEntry entry, String image) {
    String value = entry.quote() == 0 ? image : entry.quote() + image + entry.quote();
    return (text.substring(0, entry.start()) + value + text.substring(entry.end()))
        .getBytes(StandardCharsets.UTF_8);
  }

  static String sha256(byte[] content) {
    return EditedFiles.sha256(content);
  }

  private void findServices() {
    List<Line> content = new ArrayList<>();
    for (Line line : lines) {
      if (line.blank()) {
        continue;
      }
      if (content.isEmpty() && (line.content().startsWith("%") || isDocumentStart(line))) {
        continue; // a directive or the "---" before the document
      }
      if (isDocumentStart(line) || line.content().equals("...")) {
        throw refused(line, "the file holds more than one YAML document");
      }
      if (line.content().startsWith("\t")) {
        throw refused(line, "a tab in the indentation (YAML indents with spaces)");
      }
      content.add(line);
    }
    if (content.isEmpty()) {
      return;
    }
    int rootIndent = content.get(0).indent();
    Line servicesKey = null;
    Line versionKey = null;
    List<Line> root = new ArrayList<>();
    for (Line line : content) {
      if (line.indent() < rootIndent) {
        throw refused(line, "this line is indented less than the first one");
      }
      if (line.indent() > rootIndent) {
        continue;
      }
      if (line.content().startsWith("{") || line.content().startsWith("[")) {
        throw refused(line, "flow style ({...} or [...]) at the top level");
      }
      Key key = key(line);
      if (key == null) {
        throw refused(line, "expected a top-level 'name:' entry");
      }
      root.add(line);
      rootKeys.add(key.name());
      if (key.name().equals("services")) {
        servicesKey = line;
      } else if (key.name().equals("version")) {
        versionKey = line;
      }
    }
    if (servicesKey != null) {
      findServicesUnder(servicesKey, content);
    } else if (versionKey == null) {
      root.forEach(line -> services.put(key(line).name(), line)); // the version 1 layout
    }
  }

  private void findServicesUnder(Line servicesKey, List<Line> content) {
    String inline = plainValue(servicesKey, key(servicesKey).valueStart());
    if (!inline.isEmpty()) {
      throw refused(
          servicesKey,
          "services: is written as '"
              + inline
              + "'; only a block mapping (one service per line below it) can be edited");
    }
    int childIndent = -1;
    for (Line line : content) {
      if (line.number() <= servicesKey.number()) {
        continue;
      }
      if (line.indent() <= servicesKey.indent()) {
        break;
      }
      if (childIndent < 0) {
        childIndent = line.indent();
      }
      if (line.indent() < childIndent) {
        throw refused(line, "its indentation does not match the services above it");
      }
      if (line.indent() > childIndent) {
        continue;
      }
      Key key = key(line);
      if (key == null) {
        throw refused(line, "expected a service name ('name:') under services:");
      }
      services.put(key.name(), line);
    }
  }

  private ImageEntry imageValue(String service, Line line) {
    int start = key(line).valueStart();
    String rest = text.substring(start, line.end());
    String what = "the image of service '" + service + "'";
    if (rest.isEmpty() || rest.startsWith("#")) {
      throw refused(line, what + " is not on its image: line; write it there: image: name:tag");
    }
    char first = rest.charAt(0);
    String value;
    int end;
    char quote = 0;
    if (first == '"' || first == '\'') {
      quote = first;
      int close = rest.indexOf(first, 1);
      if (close < 0) {
        throw refused(line, what + " has no closing quote on its line");
      }
      value = rest.substring(1, close);
      if ((first == '"' && value.contains("\\"))
          || (first == '\'' && rest.startsWith("'", close + 1))) {
        throw refused(line, what + " uses escape sequences in its quotes");
      }
      String after = rest.substring(close + 1).strip();
      if (!after.isEmpty() && !after.startsWith("#")) {
        throw refused(line, "unexpected text after the quoted image: '" + after + "'");
      }
      end = start + close + 1;
    } else if (first == '*') {
      throw refused(line, what + " is a YAML alias (" + rest.strip() + "), which is not followed");
    } else if (first == '&') {
      throw refused(
          line, what + " defines a YAML anchor that other entries may use: write it without one");
    } else if ("|>!{[@`%".indexOf(first) >= 0) {
      throw refused(line, what + " is not a plain name:tag value ('" + rest.strip() + "')");
    } else {
      value = plainValue(line, start);
      end = start + value.length();
    }
    Line next = nextContent(line);
    if (quote == 0 && next != null && next.indent() > line.indent()) {
      throw refused(line, what + " continues on line " + next.number() + ": write it on one line");
    }
    if (value.contains("$")) {
      throw refused(
          line,
          what
              + " comes from a variable ('"
              + value
              + "'): set the variable (in .env or the environment) instead, or write the image"
              + " in the file");
    }
    return new ImageEntry(service, value, line.number(), start, end, quote);
  }

  /** A plain value from {@code start} to the end of the line or a {@code #} comment, trimmed. */
  private String plainValue(Line line, int start) {
    String rest = text.substring(start, line.end());
    int comment = rest.startsWith("#") ? 0 : rest.indexOf(" #");
    int tabComment = rest.indexOf("\t#");
    if (tabComment >= 0 && (comment < 0 || tabComment < comment)) {
      comment = tabComment;
    }
    return (comment >= 0 ? rest.substring(0, comment) : rest).strip();
  }

  /** The line's key and where its value starts, or {@code null} when it is not a key line. */
  private Key key(Line line) {
    String content = line.content();
    int base = line.start() + line.indent();
    String name;
    int colon;
    if (content.startsWith("\"") || content.startsWith("'")) {
      int close = content.indexOf(content.charAt(0), 1);
      if (close < 0) {
        return null;
      }
      name = content.substring(1, close);
      colon = close + 1;
      while (colon < content.length() && content.charAt(colon) == ' ') {
        colon++;
      }
      if (colon >= content.length() || content.charAt(colon) != ':') {
        return null;
      }
    } else {
      if (content.startsWith("- ") || content.equals("-") || content.startsWith("? ")) {
        return null;
      }
      colon = -1;
      for (int i = content.indexOf(':'); i >= 0; i = content.indexOf(':', i + 1)) {
        if (i + 1 == content.length()
            || content.charAt(i + 1) == ' '
            || content.charAt(i + 1) == '\t') {
          colon = i;
          break;
        }
      }
      if (colon < 0) {
        return null;
      }
      name = content.substring(0, colon).strip();
    }
    if (colon + 1 < content.length()
        && content.charAt(colon + 1) != ' '
        && content.charAt(colon + 1) != '\t') {
      return null;
    }
    int value = colon + 1;
    while (value < content.length()
        && (content.charAt(value) == ' ' || content.charAt(value) == '\t')) {
      value++;
    }
    return new Key(name, base + value);
  }

  private Line nextContent(Line line) {
    for (Line next : lines.subList(line.number(), lines.size())) {
      if (!next.blank()) {
        return next;
      }
    }
    return null;
  }

  /** {@code no service 'x' in FILE: did you mean 'y'? (services: ...)}. */
  StepFailedException noSuchService(String service) {
    if (services.isEmpty()) {
      return new StepFailedException(
          "no service '" + service + "' in " + path + ": the file defines no services");
    }
    String closest = closest(service, services.keySet());
    return new StepFailedException(
        "no service '"
            + service
            + "' in "
            + path
            + (closest == null ? "" : ": did you mean '" + closest + "'?")
            + " (services: "
            + String.join(", ", services.keySet())
            + ")");
  }

  private StepFailedException noImage(String service, Line build, Line merge) {
    String prefix = "service '" + service + "' in " + path + " has no image: line to set";
    if (build != null) {
      return new StepFailedException(
          prefix
              + ": it is built from source (build: on line "
              + build.number()
              + "). Give it an image: line naming the image to run, or upgrade it another way");
    }
    if (merge != null) {
      return new StepFailedException(
          prefix
              + ": it may take one from a YAML merge key (<< on line "
              + merge.number()
              + "), which is not followed. Write the image: line in the service itself");
    }
    return new StepFailedException(prefix);
  }

  private StepFailedException refused(Line line, String reason) {
    return new StepFailedException(
        "cannot edit " + path + ": line " + line.number() + ": " + reason);
  }

  private static boolean isDocumentStart(Line line) {
    return line.indent() == 0
        && (line.content().equals("---") || line.content().startsWith("--- "));
  }

  private static List<Line> split(String text) {
    List<Line> lines = new ArrayList<>();
    int start = 0;
    int number = 1;
    while (start < text.length()) {
      int newline = text.indexOf('\n', start);
      int next = newline < 0 ? text.length() : newline + 1;
      int end = newline < 0 ? text.length() : newline;
      if (end > start && text.charAt(end - 1) == '\r') {
        end--;
      }
      int first = start;
      if (number == 1 && first < end && text.charAt(first) == '\uFEFF') {
        first++; // a byte order mark is not indentation
      }
      int indent = 0;
      while (first + indent < end && text.charAt(first + indent) == ' ') {
        indent++;
      }
      lines.add(
          new Line(
              number, first, end, indent, text.substring(first + indent, end).stripTrailing()));
      start = next;
      number++;
    }
    return lines;
  }

  /** The closest name by edit distance, when it is close enough to be a typo. */
  private static String closest(String name, Iterable<String> names) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : names) {
      int distance = candidate.equalsIgnoreCase(name) ? 0 : distance(name, candidate);
      if (distance < bestDistance) {
        best = candidate;
        bestDistance = distance;
      }
    }
    return bestDistance <= Math.max(2, name.length() / 3) ? best : null;
  }

  private static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        current[j] =
            Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
