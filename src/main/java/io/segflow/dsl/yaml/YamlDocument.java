package io.segflow.dsl.yaml;

import io.segflow.dsl.diag.Position;
import java.util.List;
import java.util.Optional;

/**
 * A parsed YAML file: the path as the user gave it (used in every diagnostic), its text split into lines,
 * and the root node.
 */
public record YamlDocument(String displayPath, List<String> lines, YamlNode root) {
  public YamlDocument {
    lines = List.copyOf(lines);
  }

  /**
   * Follows a path of keys (String) and indexes (Integer) from the root. Returns the deepest node reached
   * with the key position of the last mapping entry passed, so an error about a node can point at its key.
   */
  public Located locate(List<?> path) {
    YamlNode node = root;
    Optional<Position> key = Optional.empty();
    int matched = 0;
    for (Object step : path) {
      if (step instanceof String name && node instanceof YamlNode.Mapping map && map.entry(name) != null) {
        YamlNode.Entry e = map.entry(name);
        key = Optional.of(e.keyPosition());
        node = e.value();
      } else if (step instanceof Integer index
          && node instanceof YamlNode.Sequence seq
          && index >= 0
          && index < seq.items().size()) {
        node = seq.items().get(index);
        key = Optional.empty();
      } else {
        break;
      }
      matched++;
    }
    return new Located(node, key, matched == path.size());
  }

  /** A node found by {@link #locate}; {@code complete} is false when the path went further than the tree. */
  public record Located(YamlNode node, Optional<Position> keyPosition, boolean complete) {
    /** Where an error about this node's key (or the node, if it has no key) should point. */
    public Position keyOrStart() {
      return keyPosition.orElse(node.start());
    }
  }
}
