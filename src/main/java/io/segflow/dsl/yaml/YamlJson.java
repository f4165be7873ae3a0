package io.segflow.dsl.yaml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;

/** The JSON view of a YAML tree, which is what the JSON Schema validates. */
public final class YamlJson {
  private static final JsonNodeFactory JSON = JsonNodeFactory.withExactBigDecimals(true);

  private YamlJson() {}

  public static JsonNode toJson(YamlNode node) {
    if (node instanceof YamlNode.Mapping map) {
      ObjectNode object = JSON.objectNode();
      map.entries().forEach((key, entry) -> object.set(key, toJson(entry.value())));
      return object;
    }
    if (node instanceof YamlNode.Sequence seq) {
      ArrayNode array = JSON.arrayNode();
      seq.items().forEach(item -> array.add(toJson(item)));
      return array;
    }
    return scalar((YamlNode.Scalar) node);
  }

  private static JsonNode scalar(YamlNode.Scalar s) {
    String v = s.value();
    try {
      return switch (s.kind()) {
        case NULL -> JSON.nullNode();
        case BOOLEAN -> JSON.booleanNode(v.equalsIgnoreCase("true"));
        case INTEGER -> JSON.numberNode(parseInteger(v));
        case FLOAT -> floatNode(v);
        case STRING -> JSON.textNode(v);
      };
    } catch (NumberFormatException e) {
      // An explicit !!int or !!float on text that is no number: let the schema see the text and say so.
      return JSON.textNode(v);
    }
  }

  /** The value of a YAML 1.2 integer (decimal, 0x hex, 0o octal, with an optional sign). */
  public static BigInteger parseInteger(String v) {
    String t = v.replace("_", "");
    int sign = 1;
    if (t.startsWith("-") || t.startsWith("+")) {
      sign = t.startsWith("-") ? -1 : 1;
      t = t.substring(1);
    }
    BigInteger magnitude;
    if (t.startsWith("0x") || t.startsWith("0X")) {
      magnitude = new BigInteger(t.substring(2), 16);
    } else if (t.startsWith("0o") || t.startsWith("0O")) {
      magnitude = new BigInteger(t.substring(2), 8);
    } else {
      magnitude = new BigInteger(t);
    }
    return sign < 0 ? magnitude.negate() : magnitude;
  }

  private static JsonNode floatNode(String v) {
    String t = v.toLowerCase(java.util.Locale.ROOT);
    if (t.endsWith(".inf") || t.endsWith(".nan")) {
      // JSON has no infinities or NaN; as text they fail any numeric check with a readable value.
      return JSON.textNode(v);
    }
    BigDecimal value = new BigDecimal(v.replace("_", ""));
    if (value.signum() == 0 || value.stripTrailingZeros().scale() > 0) {
      return JSON.numberNode(value);
    }
    // A whole number written as a float (3., 1e1). The schema validator compares such a value with an
    // integer field's bounds through a long, so 1e300 would pass "maximum" as 0: give it the exact
    // integer, and a whole number beyond a long's 19 digits as text, which no numeric check takes.
    BigDecimal whole = value.stripTrailingZeros();
    return whole.precision() - whole.scale() > 18 ? JSON.textNode(v) : JSON.numberNode(whole.toBigIntegerExact());
  }
}
