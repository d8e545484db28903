package io.lockstep.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.lockstep.steps.StepFailedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads the objects of a manifest file, or of every {@code .yaml}/{@code .yml} file of a directory
 * in name order, as {@code kubectl apply -f} does; each file may hold several documents.
 */
final class ManifestFiles {

  /** An object with where it came from, for messages. */
  record Document(Path file, int number, HasMetadata object) {}

  private ManifestFiles() {}

  static List<Document> read(Path path) throws IOException {
    if (!Files.exists(path)) {
      throw new StepFailedException(
          "manifest " + path + " does not exist: set file: to a YAML file or a directory of them");
    }
    List<Path> files;
    if (Files.isDirectory(path)) {
      try (Stream<Path> list = Files.list(path)) {
        files =
            list.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                .sorted()
                .toList();
      }
      if (files.isEmpty()) {
        throw new StepFailedException("directory " + path + " has no .yaml or .yml files to apply");
      }
    } else {
      files = List.of(path);
    }
    List<Document> documents = new ArrayList<>();
    for (Path file : files) {
      documents.addAll(documents(file));
    }
    return documents;
  }

  private static List<Document> documents(Path file) throws IOException {
    List<Document> documents = new ArrayList<>();
    int number = 0;
    for (String text : Files.readString(file).split("(?m)^---[ \\t]*(#.*)?$")) {
      number++;
      if (text.lines().allMatch(line -> line.isBlank() || line.strip().startsWith("#"))) {
        continue; // an empty document, as before a leading ---
      }
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
      documents.add(new Document(file, number, resource));
    }
    return documents;
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
