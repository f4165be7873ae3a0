package io.segflow.dsl.schema;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Says in words what a JSON Schema node accepts ("an integer from 2 to 100"), so that error messages come
 * from the schema itself and cannot drift from it.
 */
final class SchemaDescriber {
  private final JsonNode root;

  SchemaDescriber(JsonNode root) {
    this.root = root;
  }

  /** Follows a JSON pointer fragment ({@code /$defs/kmeans/properties/k}) inside the schema document. */
  Optional<JsonNode> at(List<String> fragment) {
    JsonNode node = root;
    for (String step : fragment) {
      node = node.isArray() ? node.path(Integer.parseInt(step)) : node.path(step);
      if (node.isMissingNode()) {
        return Optional.empty();
      }
    }
    return Optional.of(node);
  }

  JsonNode resolve(JsonNode schema) {
    JsonNode current = schema;
    for (int hops = 0; hops < 16 && current.has("$ref"); hops++) {
      String ref = current.get("$ref").asText();
      if (!ref.startsWith("#/")) {
        break;
      }
      Optional<JsonNode> target = at(List.of(ref.substring(2).split("/")));
      if (target.isEmpty()) {
        break;
      }
      current = target.get();
    }
    return current;
  }

  String describe(JsonNode schema) {
    JsonNode s = resolve(schema);
    if (s.has("const")) {
      return "'" + s.get("const").asText() + "'";
    }
    if (s.has("enum")) {
      List<String> values = new ArrayList<>();
      s.get("enum").forEach(v -> values.add(v.asText()));
      return "one of " + String.join(", ", values);
    }
    for (String alternatives : List.of("oneOf", "anyOf")) {
      if (s.has(alternatives) && !s.has("type")) {
        List<String> parts = new ArrayList<>();
        s.get(alternatives).forEach(alt -> parts.add(describe(alt)));
        return String.join(" or ", parts);
      }
    }
    String type = s.path("type").asText("");
    return switch (type) {
      case "integer" -> "an integer" + range(s);
      case "number" -> "a number" + range(s);
      case "boolean" -> "true or false";
      case "string" -> describeString(s);
      case "array" -> describeArray(s);
      case "object" -> describeObject(s);
      default -> "a valid value";
    };
  }

  private static String range(JsonNode s) {
    boolean hasMin = s.has("minimum");
    boolean hasMax = s.has("maximum");
    if (hasMin && hasMax) {
      return " from " + s.get("minimum").asText() + " to " + s.get("maximum").asText();
    }
    String above = s.has("exclusiveMinimum") ? " above " + s.get("exclusiveMinimum").asText() : "";
    if (hasMin) {
      return " >= " + s.get("minimum").asText();
    }
    if (hasMax) {
      return above + (above.isEmpty() ? " <= " : " and <= ") + s.get("maximum").asText();
    }
    return above;
  }

  private static String describeString(JsonNode s) {
    if (s.has("title")) {
      return s.get("title").asText(); // a pattern said in words
    }
    if (s.has("pattern")) {
      return "a string matching " + s.get("pattern").asText();
    }
    int min = s.path("minLength").asInt(0);
    int max = s.path("maxLength").asInt(Integer.MAX_VALUE);
    if (min == max) {
      return "a string of exactly " + min + " character" + (min == 1 ? "" : "s");
    }
    return min > 0 ? "a non-empty string" : "a string";
  }

  private String describeArray(JsonNode s) {
    String items = s.has("items") ? " of " + plural(describe(s.get("items"))) : "";
    String unique = s.path("uniqueItems").asBoolean(false) ? ", each once," : "";
    String head = s.path("minItems").asInt(0) > 0 ? "a non-empty list" : "a list";
    return head + items + unique.replaceAll(",$", "");
  }

  private static String plural(String singular) {
    return singular.startsWith("a string") ? "strings" + singular.substring("a string".length())
        : singular.startsWith("a mapping") ? "mappings" + singular.substring("a mapping".length())
        : singular.startsWith("an integer") ? "integers" + singular.substring("an integer".length())
        : singular;
  }

  private static String describeObject(JsonNode s) {
    JsonNode properties = s.path("properties");
    boolean closed = s.path("additionalProperties").isBoolean() && !s.path("additionalProperties").asBoolean();
    if (properties.size() > 0 && closed) {
      List<String> keys = new ArrayList<>();
      properties.fieldNames().forEachRemaining(k -> {
        if (!k.startsWith("$")) {
          keys.add(k);
        }
      });
      return "a mapping with keys " + String.join(", ", keys);
    }
    return s.path("minProperties").asInt(0) > 0 ? "a non-empty mapping" : "a mapping";
  }

  /** Property names a mapping schema allows, for unknown-key hints. */
  List<String> propertyNames(JsonNode schema) {
    List<String> keys = new ArrayList<>();
    resolve(schema).path("properties").fieldNames().forEachRemaining(keys::add);
    return keys;
  }

  /** The first sentence of a property's description, to remind what a missing key is for. */
  Optional<String> summary(JsonNode schema, String property) {
    JsonNode p = resolve(schema).path("properties").path(property);
    String text = p.path("description").asText("");
    if (text.isEmpty()) {
      return Optional.empty();
    }
    int end = text.indexOf(". ");
    String first = end > 0 ? text.substring(0, end) : text.replaceAll("\\.$", "");
    return Optional.of(Character.toLowerCase(first.charAt(0)) + first.substring(1));
  }
}
