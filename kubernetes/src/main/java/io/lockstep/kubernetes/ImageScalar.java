package io.lockstep.kubernetes;

import io.lockstep.steps.StepFailedException;
import java.util.List;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Where, in a workload document's text, the {@code image:} value of one container is written. The
 * document is composed into YAML nodes, which keep their positions in the text, so the value found
 * is the one of that container at {@code spec.template.spec.containers[index]}, not another line
 * that happens to name the same image (a sidecar, an init container, a comment).
 *
 * @param start offset in the document's text of the value's first character (its opening quote)
 * @param end offset just after its last character (its closing quote)
 * @param quote {@code '"'}, {@code '\''}, or {@code 0} for a plain value
 */
record ImageScalar(int start, int end, char quote) {

  /**
   * Finds the image of container {@code index} (named {@code container}) in {@code text}.
   *
   * @param where the document, for messages: {@code manifests/gateway.yaml, document 2}
   * @param firstLine the file's line number, from 1, of the document's first line
   * @throws StepFailedException when the value cannot be edited as text: not on its {@code image:}
   *     line, an alias or anchor, escapes, several lines
   */
  static ImageScalar find(
      String text, int index, String container, String image, String where, int firstLine) {
    Node root = new Compose(LoadSettings.builder().build()).composeString(text).orElse(null);
    Node containers = at(root, List.of("spec", "template", "spec", "containers"));
    if (!(containers instanceof SequenceNode list) || list.getValue().size() <= index) {
      throw refused(
          where, firstLine, 0, "its containers are not a plain YAML list under spec.template.spec");
    }
    Node entry = list.getValue().get(index);
    Node name = at(entry, List.of("name"));
    if (!(name instanceof ScalarNode named) || !container.equals(named.getValue())) {
      throw refused(
          where, firstLine, line(entry), "container " + container + " is not where it was read");
    }
    NodeTuple tuple = tuple(entry, "image");
    String what = "the image of container " + container;
    if (tuple == null || !(tuple.getValueNode() instanceof ScalarNode value)) {
      throw refused(
          where, firstLine, line(entry), what + " is not a plain value on an image: line");
    }
    int line = line(tuple.getKeyNode());
    char quote =
        switch (value.getScalarStyle()) {
          case PLAIN -> 0;
          case SINGLE_QUOTED -> '\'';
          case DOUBLE_QUOTED -> '"';
          default -> throw refused(where, firstLine, line, what + " is a block scalar (| or >)");
        };
    int start = offset(text, value.getStartMark());
    int end = offset(text, value.getEndMark());
    String written = quote == 0 ? image : quote + image + quote;
    // An alias points at a value written elsewhere; an anchor, a tag, an escape or a value over
    // several lines makes the text differ from the value: editing any of them as text could
    // change more than this container's image, so they are refused.
    if (line(value) != line
        || value.getEndMark().orElseThrow().getLine() != line(value)
        || !text.substring(start, end).equals(written)) {
      throw refused(
          where,
          firstLine,
          line,
          what
              + " is not written as a plain or quoted name:tag on its image: line (an alias,"
              + " anchor, tag, escape or a value over several lines): write it as image: "
              + written);
    }
    return new ImageScalar(start, end, quote);
  }

  /** {@code text} with the value replaced by {@code image}, quoted as it was. */
  String replace(String text, String image) {
    String value = quote == 0 ? image : quote + image + quote;
    return text.substring(0, start) + value + text.substring(end);
  }

  private static Node at(Node node, List<String> keys) {
    Node current = node;
    for (String key : keys) {
      NodeTuple tuple = tuple(current, key);
      if (tuple == null) {
        return null;
      }
      current = tuple.getValueNode();
    }
    return current;
  }

  private static NodeTuple tuple(Node node, String key) {
    if (node instanceof MappingNode mapping) {
      for (NodeTuple tuple : mapping.getValue()) {
        if (tuple.getKeyNode() instanceof ScalarNode k && key.equals(k.getValue())) {
          return tuple;
        }
      }
    }
    return null;
  }

  /** A mark's position as an offset into {@code text}; marks count code points, not chars. */
  private static int offset(String text, Optional<Mark> mark) {
    return text.offsetByCodePoints(0, mark.orElseThrow().getIndex());
  }

  /** The node's line in the document, from 0. */
  private static int line(Node node) {
    return node.getStartMark().orElseThrow().getLine();
  }

  private static StepFailedException refused(String where, int firstLine, int line, String reason) {
    return new StepFailedException(
        "cannot edit " + where + ", line " + (firstLine + line) + ": " + reason);
  }
}
