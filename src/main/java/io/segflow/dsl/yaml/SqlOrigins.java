package io.segflow.dsl.yaml;

import io.segflow.dsl.model.SqlOrigin;
import io.segflow.dsl.yaml.YamlDocument;
import io.segflow.dsl.yaml.YamlNode;

/** Works out where the text of a YAML scalar holding SQL stands in its file. */
public final class SqlOrigins {
  private SqlOrigins() {}

  public static SqlOrigin of(YamlDocument doc, YamlNode.Scalar scalar) {
    int line = scalar.start().line();
    int column = scalar.start().column();
    switch (scalar.style()) {
      case LITERAL -> {
        // The text starts on the line after the '|' header, every line indented alike.
        int first = line + 1;
        return new SqlOrigin(doc.displayPath(), first, blockIndent(doc, first), true);
      }
      case PLAIN -> {
        return new SqlOrigin(doc.displayPath(), line, column - 1, scalar.end().line() == line);
      }
      case SINGLE_QUOTED, DOUBLE_QUOTED -> {
        boolean escapes = scalar.style() == YamlNode.ScalarStyle.DOUBLE_QUOTED && hasEscape(doc, scalar);
        return new SqlOrigin(doc.displayPath(), line, column, scalar.end().line() == line && !escapes);
      }
      default -> {
        // Folded text joins lines: only its start is known.
        return new SqlOrigin(doc.displayPath(), line + 1, blockIndent(doc, line + 1), false);
      }
    }
  }

  private static int blockIndent(YamlDocument doc, int firstLine) {
    for (int i = firstLine - 1; i < doc.lines().size(); i++) {
      String text = doc.lines().get(i);
      if (!text.isBlank()) {
        int n = 0;
        while (n < text.length() && text.charAt(n) == ' ') {
          n++;
        }
        return n;
      }
    }
    return 0;
  }

  private static boolean hasEscape(YamlDocument doc, YamlNode.Scalar scalar) {
    int index = scalar.start().line() - 1;
    return index < doc.lines().size() && doc.lines().get(index).indexOf('\\', scalar.start().column() - 1) >= 0;
  }
}
