package io.lockstep.kubernetes;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.lockstep.steps.ImageEdit;
import io.lockstep.steps.StepFailedException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The image of one container of a workload, as a manifest file writes it. Operators keep comments
 * in their manifests and review them with diff, so the file is never re-serialised: the documents
 * are read to find the workload and its container ({@link ManifestFiles}, {@link
 * TemplateContainers}), and then only the characters of that {@code image:} value are replaced
 * ({@link ImageScalar}).
 *
 * @param file the file that defines the workload
 * @param bytes the file as it was read
 * @param document the workload's document number in the file, from 1
 * @param container the container's name
 * @param image its image, as the file names it
 * @param offset where the workload's document starts in {@code text}
 * @param value where the image is written in that document
 */
record ManifestImage(
    Path file,
    byte[] bytes,
    String text,
    int document,
    String container,
    String image,
    int offset,
    ImageScalar value)
    implements ImageEdit.Entry {

  /** What the step looks for. {@code container} is {@code null} for the only container. */
  record Target(WorkloadKind kind, String name, String container) {
    String describe() {
      return kind.word() + " " + name;
    }
  }

  /**
   * Finds the workload in the manifest file, or in the .yaml/.yml files of the directory, {@code
   * path} names.
   *
   * @throws StepFailedException when no document or several define it, or its container or image
   *     cannot be found or edited
   */
  static ManifestImage find(Path path, Target target) throws IOException {
    List<ManifestImage> found = new ArrayList<>();
    List<String> sameKind = new ArrayList<>();
    List<Path> files = ManifestFiles.files(path);
    for (Path file : files) {
      byte[] bytes = Files.readAllBytes(file);
      String text = utf8(file, bytes);
      for (ManifestFiles.Document document : ManifestFiles.documents(file, text)) {
        HasMetadata object = document.object();
        if (!target.kind().isKindOf(object)) {
          continue;
        }
        if (!target.name().equals(object.getMetadata().getName())) {
          sameKind.add(object.getMetadata().getName());
          continue;
        }
        found.add(of(bytes, text, document, target));
      }
    }
    if (found.isEmpty()) {
      throw notFound(path, files, target, sameKind);
    }
    if (found.size() > 1) {
      throw new StepFailedException(
          target.describe()
              + " is defined "
              + found.size()
              + " times in "
              + path
              + " ("
              + found.stream()
                  .map(f -> f.file().getFileName() + " document " + f.document())
                  .collect(Collectors.joining(", "))
              + "): keep one definition, or set file: to the file the step should edit");
    }
    return found.get(0);
  }

  /** Finds the workload in {@code bytes}, the content {@code file} had (a saved original). */
  static ManifestImage in(Path file, byte[] bytes, Target target) {
    String text = utf8(file, bytes);
    List<ManifestImage> found = new ArrayList<>();
    for (ManifestFiles.Document document : ManifestFiles.documents(file, text)) {
      if (target.kind().isKindOf(document.object())
          && target.name().equals(document.object().getMetadata().getName())) {
        found.add(of(bytes, text, document, target));
      }
    }
    if (found.size() != 1) {
      throw new StepFailedException(
          "the saved original of "
              + file
              + " defines "
              + target.describe()
              + " "
              + found.size()
              + " times, not once: it is not the file this step edited");
    }
    return found.get(0);
  }

  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  /** The file's bytes with the image replaced, quoted as it was; every other byte kept. */
  @Override
  public byte[] withImage(String newImage) {
    String edited = value.replace(text.substring(offset), newImage);
    return (text.substring(0, offset) + edited).getBytes(StandardCharsets.UTF_8);
  }

  /** The file's line number, from 1, of the image value. */
  @Override
  public int line() {
    return (int) text.substring(0, offset + value.start()).chars().filter(c -> c == '\n').count()
        + 1;
  }

  private static ManifestImage of(
      byte[] bytes, String text, ManifestFiles.Document document, Target target) {
    String where = document.file() + ", document " + document.number();
    Container container =
        TemplateContainers.find(
            target.kind().template(document.object()),
            target.container(),
            target.describe() + " in " + where);
    if (container.getImage() == null) {
      throw new StepFailedException(
          "container "
              + container.getName()
              + " of "
              + target.describe()
              + " in "
              + where
              + " has no image: to set; write one in the manifest");
    }
    int index =
        target.kind().template(document.object()).getSpec().getContainers().indexOf(container);
    int firstLine =
        (int) text.substring(0, document.start()).chars().filter(c -> c == '\n').count() + 1;
    ImageScalar value =
        ImageScalar.find(
            document.text(), index, container.getName(), container.getImage(), where, firstLine);
    return new ManifestImage(
        document.file(),
        bytes,
        text,
        document.number(),
        container.getName(),
        container.getImage(),
        document.start(),
        value);
  }

  private static StepFailedException notFound(
      Path path, List<Path> files, Target target, List<String> sameKind) {
    StringBuilder message = new StringBuilder("no " + target.describe() + " in " + path);
    List<String> notes = new ArrayList<>();
    if (Files.isDirectory(path)) {
      notes.add(
          "files: "
              + files.stream()
                  .map(f -> f.getFileName().toString())
                  .collect(Collectors.joining(", ")));
    }
    notes.add(
        sameKind.isEmpty()
            ? "no " + target.kind().word() + " at all"
            : target.kind().word() + "s there: " + String.join(", ", sameKind));
    message.append(" (").append(String.join("; ", notes)).append(')');
    return new StepFailedException(
        message
            + ": correct name: or kind:, or set file: to the manifest that defines the workload");
  }

  private static String utf8(Path file, byte[] bytes) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new StepFailedException(
          "cannot edit " + file + ": it is not UTF-8 text; save it as UTF-8 and run again");
    }
  }
}
