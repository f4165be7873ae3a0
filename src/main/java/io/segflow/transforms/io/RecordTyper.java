package io.segflow.transforms.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;
import org.apache.commons.text.similarity.LevenshteinDistance;

/**
 * Types a record's fields by a source's schema and settings: one field's text, or one JSON object. Every
 * reader of records (file chunks, Pub/Sub messages) types through this, so a value means the same, and is
 * rejected for the same reason, wherever it comes from. One per DoFn instance (its parser caches).
 */
final class RecordTyper implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A JSON text typed: the row, or the reason it is not one and what a reject keeps of it. */
  record Typed(Row row, JsonNode object, String record, String reason) {
    boolean rejected() {
      return reason != null;
    }
  }

  private final SourceIO.Settings settings;
  // Building it compiles the date patterns, which cost more than parsing a field.
  private final FieldParser parser;

  RecordTyper(SourceIO.Settings settings) {
    this.settings = settings;
    this.parser = settings.parser();
  }

  /** Types one field into values[f]; returns why it cannot be, or null. */
  String typed(String text, Schema.Field field, Object[] values, int f) {
    if (settings.nullValues().contains(text)) {
      values[f] = null;
      return null;
    }
    if (text.indexOf('\uFFFD') >= 0) {
      return field.getName() + " holds bytes that are not UTF-8";
    }
    try {
      values[f] = parser.parse(text, field);
      return null;
    } catch (FieldParser.BadValue e) {
      return e.getMessage();
    }
  }

  /** One JSON object's text as a row of the schema; {@code object} is null when the text is not one. */
  Typed json(String text) {
    JsonNode node;
    try {
      node = JSON.readTree(text);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return new Typed(null, null, "", "not JSON: " + e.getOriginalMessage());
    }
    if (node == null || !node.isObject()) {
      return new Typed(null, null, "", "not a JSON object");
    }
    Schema schema = settings.schema();
    Object[] values = new Object[schema.getFieldCount()];
    String problem = null;
    for (int f = 0; f < values.length && problem == null; f++) {
      Schema.Field field = schema.getField(f);
      JsonNode value = node.get(field.getName());
      if (value == null && !settings.missingKeysAreNull()) {
        // An absent key is not a NULL: a misspelt key in the data would silently null every value.
        problem = "has no key '" + field.getName() + "'" + closestKey(node, field.getName());
      } else if (value == null || value.isNull()) {
        values[f] = null;
      } else if (value.isContainerNode()) {
        problem = field.getName() + " is a JSON " + (value.isArray() ? "array" : "object") + ", not a value";
      } else {
        problem = typed(value.asText(), field, values, f);
      }
    }
    if (problem == null) {
      return new Typed(Row.withSchema(schema).attachValues(values), node, null, null);
    }
    return new Typed(null, node, RejectedRecord.of(schema, settings.personalColumns(), f -> {
      JsonNode value = node.get(schema.getField(f).getName());
      return value == null || value.isNull() ? null : value.isValueNode() ? value.asText() : value.toString();
    }), problem);
  }

  /** For a missing JSON key: the record's key nearest to it, if one differs only a little. */
  private static String closestKey(JsonNode node, String wanted) {
    List<String> keys = new ArrayList<>();
    node.fieldNames().forEachRemaining(keys::add);
    return nearest(wanted, keys).map(k -> " (it has '" + k + "')").orElse("");
  }

  /** The name nearest to a wanted one, if it is within a third of its length (case aside). */
  static Optional<String> nearest(String wanted, List<String> names) {
    if (wanted.length() < 3) {
      return Optional.empty(); // every short name is near every other
    }
    var near = new LevenshteinDistance(wanted.length() / 3);
    String lower = wanted.toLowerCase(Locale.ROOT);
    return names.stream().filter(n -> !n.equals(wanted))
        .min(Comparator.comparingInt(n -> {
          int d = near.apply(n.toLowerCase(Locale.ROOT), lower);
          return d < 0 ? Integer.MAX_VALUE : d;
        }))
        .filter(n -> near.apply(n.toLowerCase(Locale.ROOT), lower) >= 0);
  }
}
