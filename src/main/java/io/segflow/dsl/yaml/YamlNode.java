package io.segflow.dsl.yaml;

import io.segflow.dsl.diag.Position;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML node that remembers where it stands in its file. The tree mirrors the JSON the schema validates,
 * so a JSON instance path leads to the YAML node that an error is about.
 */
public sealed interface YamlNode permits YamlNode.Mapping, YamlNode.Sequence, YamlNode.Scalar {

  Position start();

  /** A key of a mapping with its own position and its value. */
  record Entry(String key, Position keyPosition, YamlNode value) {}

  record Mapping(Position start, Map<String, Entry> entries) implements YamlNode {
    public Mapping {
      entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
    }

    public Entry entry(String key) {
      return entries.get(key);
    }
  }

  record Sequence(Position start, List<YamlNode> items) implements YamlNode {
    public Sequence {
      items = List.copyOf(items);
    }
  }

  /**
   * A scalar with its resolved kind. {@code end} is the position just past it; {@code style} tells how it
   * was written, which matters when mapping positions inside a block of SQL back to the file.
   */
  record Scalar(Position start, Position end, String value, ScalarKind kind, ScalarStyle style)
      implements YamlNode {}

  /** What a scalar resolves to under the YAML 1.2 core schema (or an explicit standard tag). */
  enum ScalarKind {
    STRING,
    INTEGER,
    FLOAT,
    BOOLEAN,
    NULL
  }

  enum ScalarStyle {
    PLAIN,
    SINGLE_QUOTED,
    DOUBLE_QUOTED,
    LITERAL,
    FOLDED
  }
}
