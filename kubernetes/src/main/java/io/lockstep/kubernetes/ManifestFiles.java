package io.lockstep.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.lockstep.steps.StepFailedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads the objects of a manifest file, or of every {@code .yaml}/{@code .yml} file of a directory
 * in name order, as {@code kubectl apply -f} does; each file may hold several documents.
 */
final class ManifestFiles {

  /** A {@code ---} line between two documents, which may carry a comment. */
  private static final Pattern SEPARATOR = Pattern.compile("(?m)^---[ \\t]*(#.*)?$");

  /**
   * An object with where it came from: for messages, and for a step that edits the file as text.
   *
   * @param number the document's number in its file, from 1 (counting an empty one before a leading
   *     {@code ---})
   * @param start offset of the document's text in the file's text
   * @param text the document's text, without the {@code ---} lines around it
   */
  record Document(Path file, int number, HasMetadata object, int start, String text) {}

  private ManifestFiles() {}

  static List<Document> read(Path path) throws IOException {
    List<Document> documents = new ArrayList<>();
    for (Path file : files(path)) {
      documents.addAll(documents(file, Files.readString(file)));
    }
    return documents;
  }

  /** The file {@code path} names, or the {@code .yaml}/{@code .yml} files of that directory. */
  static List<Path> files(Path path) throws IOException {
    if (!Files.exists(path)) {
      throw new StepFailedException(
          "manifest " + path + " does not exist: set file: to a YAML file or a directory of them");
    }
    if (!Files.isDirectory(path)) {
      return List.of(path);
    }
    List<Path> files;
    try (Stream<Path> list = Files.list(path)) {
      files =
          list.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
              .sorted()
              .toList();
    }
    if (files.isEmpty()) {
      throw new StepFailedException("directory " + path + " has no .yaml or .yml files to apply");
    }
    return files;
  }

  /** The objects of one file's text; {@code file} names it in messages. */
  static List<Document> documents(Path file, String content) {
    List<Document> documents = new ArrayList<>();
    int number = 0;
    int start = 0;
    Matcher separator = SEPARATOR.matcher(content);
    while (start <= content.length()) {
      boolean more = separator.find();
      int end = more ? separator.start() : content.length();
      String text = content.substring(start, end);
      number++;
      if (!text.lines().allMatch(line -> line.isBlank() || line.strip().startsWith("#"))) {
        documents.add(new Document(file, number, object(file, number, text), start, text));
      } // else an empty document, as before a leading ---
      if (!more) {
        break;
      }
      start = separator.end();
    }
    return documents;
  }

  private static HasMetadata object(Path file, int number, String text) {
    Object object;
    try {
      object = Serialization.unmarshal(text);
    } catch (RuntimeException e) {
      throw new StepFailedException(
          "manifest "
              + file
              + ", document "
              + number
              + ": not a Kubernetes object ("
              + oneLine(e.getMessage())
              + "); correct the YAML",
          e);
    }
    if (!(object instanceof HasMetadata resource)
        || resource.getMetadata() == null
        || resource.getMetadata().getName() == null) {
      throw new StepFailedException(
          "manifest "
              + file
              + ", document "
              + number
              + ": not a Kubernetes object with apiVersion, kind and metadata.name");
    }
    return resource;
  }

  /** The YAML parser's report on one line: its lines joined, the caret lines left out. */
  private static String oneLine(String message) {
    return message == null
        ? ""
        : message
            .lines()
            .map(String::strip)
            .filter(line -> !line.isEmpty() && !line.equals("^"))
            .collect(java.util.stream.Collectors.joining(" "));
  }
}
