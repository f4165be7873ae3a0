package io.segflow.dsl.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.segflow.dsl.diag.Diagnostic;
import io.segflow.dsl.diag.DiagnosticCode;
import io.segflow.dsl.diag.Position;
import io.segflow.dsl.yaml.YamlDocument;
import io.segflow.dsl.yaml.YamlJson;
import io.segflow.dsl.yaml.YamlNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks a YAML document against one of the JSON Schemas in {@code dsl/schema} (packaged in the jar) and
 * turns each violation into a located diagnostic with a message written from the schema.
 */
public final class SchemaValidator {
  private static final String ID_PREFIX = "https://segflow.io/schema/";
  private static final String RESOURCE_PREFIX = "classpath:io/segflow/dsl/schema/";

  public static final String DEFINITION_SCHEMA = "segment-definition.v1.json";
  public static final String ENVIRONMENT_SCHEMA = "environment.v1.json";

  private static final Map<String, SchemaValidator> CACHE = new java.util.concurrent.ConcurrentHashMap<>();

  private final JsonSchema schema;
  private final SchemaDescriber describer;

  private SchemaValidator(String fileName) {
    JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
        builder -> builder.schemaMappers(mappers -> mappers.mapPrefix(ID_PREFIX, RESOURCE_PREFIX)));
    this.schema = factory.getSchema(SchemaLocation.of(ID_PREFIX + fileName));
    this.schema.initializeValidators();
    this.describer = new SchemaDescriber(readSchemaDocument(fileName));
  }

  public static SchemaValidator forDefinitions() {
    return CACHE.computeIfAbsent(DEFINITION_SCHEMA, SchemaValidator::new);
  }

  public static SchemaValidator forEnvironments() {
    return CACHE.computeIfAbsent(ENVIRONMENT_SCHEMA, SchemaValidator::new);
  }

  /** The definition schema's document, to read what it states (defaults, descriptions). */
  static SchemaDescriber definitionSchema() {
    return forDefinitions().describer;
  }

  private static JsonNode readSchemaDocument(String fileName) {
    String resource = "/io/segflow/dsl/schema/" + fileName;
    try (InputStream in = SchemaValidator.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("schema " + resource + " is not on the classpath");
      }
      return new ObjectMapper().readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every schema violation of the document, one diagnostic per problem, in file order. */
  public List<Diagnostic> validate(YamlDocument document) {
    JsonNode json = YamlJson.toJson(document.root());
    List<Violation> violations = new ArrayList<>();
    for (ValidationMessage m : schema.validate(json)) {
      violations.add(Violation.of(m));
    }
    List<Diagnostic> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (Violation v : resolveAlternatives(violations)) {
      Diagnostic d = toDiagnostic(document, v);
      // One message per place and code: a value that breaks two keywords is one mistake.
      if (seen.add(d.position() + " " + d.code() + " " + d.field())) {
        out.add(d);
      }
    }
    out.sort(Comparator.comparing(Diagnostic::position));
    return out;
  }

  /** A schema violation, with paths as plain lists. */
  record Violation(
      String keyword,
      List<Object> instancePath,
      List<String> schemaPath,
      List<Object> evaluationPath,
      String property,
      Object[] arguments,
      JsonNode instance) {

    static Violation of(ValidationMessage m) {
      JsonNodePath fragment = m.getSchemaLocation().getFragment();
      List<String> schemaPath = new ArrayList<>();
      for (Object step : elements(fragment)) {
        schemaPath.add(String.valueOf(step));
      }
      return new Violation(m.getType(), elements(m.getInstanceLocation()), schemaPath,
          elements(m.getEvaluationPath()), m.getProperty(), m.getArguments(), m.getInstanceNode());
    }

    private static List<Object> elements(JsonNodePath path) {
      List<Object> out = new ArrayList<>();
      if (path == null) {
        return out;
      }
      for (int i = 0; i < path.getNameCount(); i++) {
        out.add(path.getElement(i));
      }
      return out;
    }

    boolean isUnder(Violation alternative) {
      List<Object> prefix = alternative.evaluationPath;
      return evaluationPath.size() > prefix.size() && evaluationPath.subList(0, prefix.size()).equals(prefix);
    }

    /** The index of the alternative (oneOf/anyOf branch) this violation was found under. */
    Object branchUnder(Violation alternative) {
      return evaluationPath.get(alternative.evaluationPath.size());
    }
  }

  /**
   * A value that fits none of several alternatives makes the validator report every branch. Keep what
   * helps: the errors of the branch whose type fits the value, or else one line naming the alternatives.
   */
  private List<Violation> resolveAlternatives(List<Violation> all) {
    List<Violation> alternatives = all.stream()
        .filter(v -> v.keyword.equals("oneOf") || v.keyword.equals("anyOf"))
        .sorted(Comparator.comparingInt((Violation v) -> v.evaluationPath.size()))
        .toList();
    List<Violation> remaining = new ArrayList<>(all);
    for (Violation alt : alternatives) {
      if (!remaining.contains(alt)) {
        continue;
      }
      List<Violation> children = remaining.stream().filter(v -> v.isUnder(alt)).toList();
      remaining.removeAll(children);
      remaining.remove(alt);
      boolean allRequired = !children.isEmpty() && children.stream().allMatch(c -> c.keyword.equals("required"));
      boolean tooMany = alt.arguments != null && alt.arguments.length > 0
          && String.valueOf(alt.arguments[0]).matches("[2-9]\\d*|1\\d+");
      if (tooMany || allRequired) {
        remaining.add(new Violation("exclusive", alt.instancePath, alt.schemaPath, alt.evaluationPath,
            tooMany ? "both" : "none", alt.arguments, alt.instance));
        continue;
      }
      Map<Object, List<Violation>> byBranch = new LinkedHashMap<>();
      children.forEach(c -> byBranch.computeIfAbsent(c.branchUnder(alt), k -> new ArrayList<>()).add(c));
      Optional<List<Violation>> fitting = byBranch.values().stream()
          .filter(branch -> branch.stream().noneMatch(
              c -> c.keyword.equals("type") && c.instancePath.equals(alt.instancePath)))
          .findFirst();
      if (fitting.isPresent()) {
        remaining.addAll(fitting.get());
      } else {
        remaining.add(new Violation("alternatives", alt.instancePath, alt.schemaPath, alt.evaluationPath,
            null, null, alt.instance));
      }
    }
    return remaining;
  }

  private Diagnostic toDiagnostic(YamlDocument doc, Violation v) {
    String file = doc.displayPath();
    YamlDocument.Located target = doc.locate(v.instancePath);
    String field = fieldName(v.instancePath);
    JsonNode keywordOwner = describer.at(v.schemaPath.subList(0, Math.max(0, v.schemaPath.size() - 1)))
        .orElse(null);
    switch (v.keyword) {
      case "additionalProperties" -> {
        String key = v.property;
        Position at = keyPosition(target.node(), key).orElse(target.keyOrStart());
        List<String> allowed = keywordOwner == null ? List.of() : describer.propertyNames(keywordOwner);
        String hint = DidYouMean.closest(key, allowed).map(s -> "did you mean '" + s + "'? ").orElse("");
        return Diagnostic.error(file, at, DiagnosticCode.UNKNOWN_KEY, join(field, key),
            "unknown key '" + key + "' may be a typo; " + hint + "allowed keys: " + String.join(", ", allowed));
      }
      case "required" -> {
        String key = v.property;
        String why = keywordOwner == null ? "" : describer.summary(keywordOwner, key).map(s -> " (" + s + ")").orElse("");
        return Diagnostic.error(file, target.keyOrStart(), DiagnosticCode.MISSING_KEY, join(field, key),
            "missing required key '" + key + "'" + why);
      }
      case "propertyNames" -> {
        String key = v.property;
        Position at = keyPosition(target.node(), key).orElse(target.keyOrStart());
        String expected = keywordOwner == null ? "a valid name"
            : describer.describe(keywordOwner.path("propertyNames"));
        return Diagnostic.error(file, at, DiagnosticCode.INVALID_VALUE, join(field, key),
            "'" + key + "' is not a valid name: must be " + expected);
      }
      case "exclusive" -> {
        List<String> keys = new ArrayList<>();
        JsonNode alternatives = keywordOwner == null ? null : keywordOwner.path(v.schemaPath.get(v.schemaPath.size() - 1));
        if (alternatives != null) {
          alternatives.forEach(alt -> alt.path("required").forEach(k -> keys.add(k.asText())));
        }
        String message = v.property.equals("both")
            ? "give one of " + String.join(", ", keys) + ", not several"
            : "give one of " + String.join(", ", keys);
        return Diagnostic.error(file, target.keyOrStart(), DiagnosticCode.EXCLUSIVE_KEYS, field, message);
      }
      case "uniqueItems" -> {
        return duplicateItem(doc, v, field);
      }
      default -> {
        JsonNode subject = subjectSchema(v);
        String expected = subject == null ? "a valid value" : describer.describe(subject);
        Position at = target.complete() ? target.node().start() : target.keyOrStart();
        return Diagnostic.error(file, at, DiagnosticCode.INVALID_VALUE, field,
            "must be " + expected + ", got " + render(target.node(), v.instance));
      }
    }
  }

  /** The schema to describe for a value error: the property's, above any oneOf/anyOf branch. */
  private JsonNode subjectSchema(Violation v) {
    List<String> path = new ArrayList<>(v.schemaPath);
    if (!v.keyword.equals("alternatives") && !path.isEmpty()) {
      path.remove(path.size() - 1);
    }
    while (path.size() >= 2 && path.get(path.size() - 1).matches("\\d+")
        && (path.get(path.size() - 2).equals("oneOf") || path.get(path.size() - 2).equals("anyOf"))) {
      path = new ArrayList<>(path.subList(0, path.size() - 2));
    }
    if (v.keyword.equals("alternatives") && !path.isEmpty()) {
      path.remove(path.size() - 1);
    }
    return describer.at(path).orElse(null);
  }

  private Diagnostic duplicateItem(YamlDocument doc, Violation v, String field) {
    YamlDocument.Located list = doc.locate(v.instancePath);
    if (list.node() instanceof YamlNode.Sequence seq) {
      Map<String, Integer> firstIndex = new LinkedHashMap<>();
      for (int i = 0; i < seq.items().size(); i++) {
        YamlNode item = seq.items().get(i);
        String key = YamlJson.toJson(item).toString();
        Integer first = firstIndex.putIfAbsent(key, i);
        if (first != null) {
          return Diagnostic.error(doc.displayPath(), item.start(), DiagnosticCode.INVALID_VALUE,
              field + "[" + i + "]", render(item, null) + " is listed twice (first at index " + first
                  + "); each item may appear once");
        }
      }
    }
    return Diagnostic.error(doc.displayPath(), list.keyOrStart(), DiagnosticCode.INVALID_VALUE, field,
        "items must be unique");
  }

  private static Optional<Position> keyPosition(YamlNode node, String key) {
    if (node instanceof YamlNode.Mapping map && key != null && map.entry(key) != null) {
      return Optional.of(map.entry(key).keyPosition());
    }
    return Optional.empty();
  }

  static String fieldName(List<Object> path) {
    StringBuilder sb = new StringBuilder();
    for (Object step : path) {
      if (step instanceof Integer i) {
        sb.append('[').append(i).append(']');
      } else {
        if (sb.length() > 0) {
          sb.append('.');
        }
        sb.append(step);
      }
    }
    return sb.toString();
  }

  private static String join(String field, String key) {
    return field.isEmpty() ? key : field + "." + key;
  }

  /** The offending value as the user wrote it, short. */
  static String render(YamlNode node, JsonNode fallback) {
    if (node instanceof YamlNode.Scalar s) {
      String text = s.value().length() > 40 ? s.value().substring(0, 37) + "..." : s.value();
      return switch (s.kind()) {
        case STRING -> "\"" + text.replace("\n", "\\n") + "\"";
        case NULL -> "nothing (null)";
        default -> text;
      };
    }
    if (node instanceof YamlNode.Sequence seq) {
      return seq.items().isEmpty() ? "an empty list" : "a list";
    }
    if (node instanceof YamlNode.Mapping map) {
      return map.entries().isEmpty() ? "an empty mapping" : "a mapping";
    }
    return fallback == null ? "?" : fallback.toString();
  }
}
