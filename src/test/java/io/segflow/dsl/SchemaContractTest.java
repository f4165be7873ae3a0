package io.segflow.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.segflow.dsl.diag.DiagnosticCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The JSON Schemas are the single source of truth for the language, so they must be complete enough for
 * editors (a description on every property, closed objects) and the docs must keep up with them.
 */
class SchemaContractTest {
  private static final Path SCHEMAS = Path.of("dsl/schema");
  private static final Path REFERENCE = Path.of("dsl/docs/reference.md");
  private static final Path ERRORS = Path.of("dsl/docs/errors.md");

  @ParameterizedTest
  @ValueSource(strings = {"segment-definition.v1.json", "environment.v1.json"})
  void everyPropertyIsDescribedAndEveryObjectIsClosed(String schemaFile) throws IOException {
    JsonNode schema = new ObjectMapper().readTree(SCHEMAS.resolve(schemaFile).toFile());
    assertEquals("https://json-schema.org/draft/2020-12/schema", schema.get("$schema").asText());
    List<String> problems = new ArrayList<>();
    walk(schema, "#", problems);
    assertEquals(List.of(), problems);
  }

  private static void walk(JsonNode node, String path, List<String> problems) {
    if (!node.isObject()) {
      if (node.isArray()) {
        for (int i = 0; i < node.size(); i++) {
          walk(node.get(i), path + "/" + i, problems);
        }
      }
      return;
    }
    JsonNode properties = node.get("properties");
    if (properties != null && properties.isObject()) {
      boolean dispatcher = node.has("allOf") && !node.has("additionalProperties");
      boolean closed = node.path("additionalProperties").isBoolean() && !node.get("additionalProperties").asBoolean();
      boolean insideIf = path.endsWith("/if");
      if (!closed && !dispatcher && !insideIf) {
        problems.add(path + ": an object with properties must say additionalProperties: false");
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> p = it.next();
        if (!insideIf && !p.getValue().has("description")) {
          problems.add(path + "/properties/" + p.getKey() + ": no description");
        }
        JsonNode value = p.getValue().get("default");
        if (value != null && !p.getValue().path("description").asText().matches("(?s).*Default:? "
            + java.util.regex.Pattern.quote(shown(value)) + "(?!\\w).*")) {
          problems.add(path + "/properties/" + p.getKey() + ": its description does not say 'Default "
              + shown(value) + "' (the default the loader applies)");
        }
      }
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> child = it.next();
      walk(child.getValue(), path + "/" + child.getKey(), problems);
    }
  }

  /** A default as an analyst reads it: 0.0001, not 1.0E-4. */
  private static String shown(JsonNode value) {
    return value.isNumber() ? value.decimalValue().stripTrailingZeros().toPlainString() : value.asText();
  }

  @Test
  void theReferenceDocumentsEveryKeyOfTheLanguage() throws IOException {
    String reference = Files.readString(REFERENCE);
    List<String> missing = new ArrayList<>();
    for (String schemaFile : List.of("segment-definition.v1.json", "environment.v1.json")) {
      JsonNode schema = new ObjectMapper().readTree(SCHEMAS.resolve(schemaFile).toFile());
      collectKeys(schema, missing, reference);
    }
    assertEquals(List.of(), missing, "keys of the schema that dsl/docs/reference.md never mentions as `key`");
  }

  private static void collectKeys(JsonNode node, List<String> missing, String reference) {
    if (node.isObject()) {
      JsonNode properties = node.get("properties");
      if (properties != null && properties.isObject()) {
        properties.fieldNames().forEachRemaining(k -> {
          if (!reference.contains("`" + k) && !missing.contains(k)) {
            missing.add(k);
          }
        });
      }
      node.elements().forEachRemaining(child -> collectKeys(child, missing, reference));
    } else if (node.isArray()) {
      node.elements().forEachRemaining(child -> collectKeys(child, missing, reference));
    }
  }

  @Test
  void theErrorCatalogueListsEveryCode() throws IOException {
    String errors = Files.readString(ERRORS);
    for (DiagnosticCode code : DiagnosticCode.values()) {
      assertTrue(errors.contains("## " + code.code() + " "), "dsl/docs/errors.md has no section for " + code.code());
    }
  }

  @Test
  void theExamplesPointEditorsAtTheSchema() throws IOException {
    try (var files = Files.list(Path.of("segment-definitions"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
        assertTrue(Files.readString(f).startsWith("# yaml-language-server: $schema=../dsl/schema/segment-definition.v1.json"),
            f + " lacks the yaml-language-server modeline");
      }
    }
  }
}
