package io.segflow.dsl.schema;

import com.fasterxml.jackson.databind.JsonNode;
import io.segflow.dsl.yaml.YamlFields;
import io.segflow.dsl.yaml.YamlNode;
import java.util.List;

/**
 * The value a definition's key takes when it is left out: the {@code default} keyword of its property in
 * the definition schema. The schema is the one place a default is stated, so the loader, the editor's
 * completion and the reference cannot disagree.
 *
 * <pre>{@code
 * SchemaDefaults kmeans = SchemaDefaults.of("kmeans");
 * int restarts = Math.toIntExact(kmeans.integerIn(seg, "restarts")); // the key's value, else its default
 * }</pre>
 */
public final class SchemaDefaults {
  private final String definition;

  private SchemaDefaults(String definition) {
    this.definition = definition;
  }

  /** The defaults of the properties of {@code $defs/<definition>} in the definition schema. */
  public static SchemaDefaults of(String definition) {
    if (SchemaValidator.definitionSchema().at(List.of("$defs", definition, "properties")).isEmpty()) {
      throw new IllegalArgumentException("the definition schema has no $defs/" + definition + "/properties");
    }
    return new SchemaDefaults(definition);
  }

  /** The integer at {@code key} of a definition's mapping, else the key's default: the key named once. */
  public long integerIn(YamlNode.Mapping mapping, String key) {
    return YamlFields.integer(mapping, key).orElse((long) integer(key));
  }

  /** The number at {@code key} of a definition's mapping, else the key's default. */
  public double numberIn(YamlNode.Mapping mapping, String key) {
    return YamlFields.number(mapping, key).orElse(number(key));
  }

  /** The text at {@code key} of a definition's mapping, else the key's default. */
  public String stringIn(YamlNode.Mapping mapping, String key) {
    return YamlFields.string(mapping, key).orElse(string(key));
  }

  public int integer(String property) {
    JsonNode value = value(property);
    if (!value.canConvertToExactIntegral() || !value.canConvertToInt()) {
      throw new IllegalStateException(where(property) + " default " + value + " is not an integer");
    }
    return value.intValue();
  }

  public double number(String property) {
    JsonNode value = value(property);
    if (!value.isNumber()) {
      throw new IllegalStateException(where(property) + " default " + value + " is not a number");
    }
    return value.doubleValue();
  }

  public String string(String property) {
    JsonNode value = value(property);
    if (!value.isTextual()) {
      throw new IllegalStateException(where(property) + " default " + value + " is not a string");
    }
    return value.textValue();
  }

  /** The property's default, following {@code $ref}s (a method's key that is k-means' key has its default). */
  private JsonNode value(String property) {
    SchemaDescriber schema = SchemaValidator.definitionSchema();
    JsonNode node = schema.at(List.of("$defs", definition, "properties", property))
        .orElseThrow(() -> new IllegalArgumentException(where(property) + " is not in the definition schema"));
    if (node.has("default")) {
      return node.get("default");
    }
    JsonNode target = schema.resolve(node);
    if (target.has("default")) {
      return target.get("default");
    }
    throw new IllegalStateException(where(property) + " has no default in the definition schema");
  }

  private String where(String property) {
    return "$defs/" + definition + "/properties/" + property;
  }
}
