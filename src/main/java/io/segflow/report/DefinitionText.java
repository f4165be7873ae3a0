package io.segflow.report;

import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** The few facts the report reads from the definition's text kept in run.json (its method, its description). */
final class DefinitionText {
  private DefinitionText() {}

  /** The YAML as maps; empty when the run kept no text or the text is no mapping. */
  static Map<String, Object> parse(String text) {
    if (text.isBlank()) {
      return Map.of();
    }
    Object doc = new Load(LoadSettings.builder().build()).loadFromString(text);
    @SuppressWarnings("unchecked")
    Map<String, Object> map = doc instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    return map;
  }

  /** The scalar at a path of keys, as text. */
  static Optional<String> string(Map<String, Object> doc, String... path) {
    Object node = doc;
    for (String key : path) {
      if (!(node instanceof Map<?, ?> m) || !m.containsKey(key)) {
        return Optional.empty();
      }
      node = m.get(key);
    }
    return node == null || node instanceof Map || node instanceof java.util.List ? Optional.empty()
        : Optional.of(node.toString());
  }
}
