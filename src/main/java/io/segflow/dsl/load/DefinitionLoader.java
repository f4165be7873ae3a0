package io.segflow.dsl.load;

import io.segflow.dsl.diag.Diagnostic;
import io.segflow.dsl.methods.MethodSyntaxes;
import io.segflow.dsl.model.Column;
import io.segflow.dsl.model.ColumnType;
import io.segflow.dsl.model.ConsentSpec;
import io.segflow.dsl.model.FeaturesSpec;
import io.segflow.dsl.model.HoldoutSpec;
import io.segflow.dsl.model.ScheduleSpec;
import io.segflow.dsl.model.OutputSpec;
import io.segflow.dsl.model.ParameterSpec;
import io.segflow.dsl.model.SegmentDefinition;
import io.segflow.dsl.model.SourceSpec;
import io.segflow.dsl.model.SqlText;
import io.segflow.dsl.schema.SchemaValidator;
import io.segflow.dsl.yaml.SqlOrigins;
import io.segflow.dsl.yaml.YamlDocument;
import io.segflow.dsl.yaml.YamlFields;
import io.segflow.dsl.yaml.YamlNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Loads a segment definition: read, parse, check the shape against the JSON Schema, then bind the YAML
 * tree to the immutable model. Stops before binding if the shape is wrong, and reports every shape
 * problem at once.
 */
public final class DefinitionLoader {
  private DefinitionLoader() {}

  /** The model (when the file has a valid shape), its YAML document (for positions) and the problems found. */
  public record Loaded(
      Optional<SegmentDefinition> definition, Optional<YamlDocument> document, List<Diagnostic> diagnostics) {
    public Loaded {
      diagnostics = List.copyOf(diagnostics);
    }
  }

  public static Loaded load(Path file, String displayPath) {
    DocumentReader.Read read = DocumentReader.read(file, displayPath, SchemaValidator.forDefinitions());
    return bind(file, read);
  }

  /** Loads a definition from bytes in memory, as if they were the given file (for tests and editors). */
  public static Loaded loadBytes(Path file, String displayPath, byte[] yaml) {
    return bind(file, DocumentReader.parse(displayPath, yaml, SchemaValidator.forDefinitions()));
  }

  private static Loaded bind(Path file, DocumentReader.Read read) {
    if (read.document().isEmpty() || read.hasErrors()) {
      return new Loaded(Optional.empty(), read.document(), read.diagnostics());
    }
    YamlDocument doc = read.document().get();
    List<Diagnostic> diagnostics = new ArrayList<>(read.diagnostics());
    YamlNode.Mapping root = (YamlNode.Mapping) doc.root();
    Optional<SqlText> sql = featuresSql(file, doc, YamlFields.mapping(root, "features").orElseThrow(), diagnostics);
    if (sql.isEmpty()) {
      return new Loaded(Optional.empty(), Optional.of(doc), diagnostics);
    }
    YamlNode.Mapping features = YamlFields.mapping(root, "features").orElseThrow();
    Map<String, String> columnDocs = new LinkedHashMap<>();
    Map<String, io.segflow.dsl.model.FeatureWords> columnWords = new LinkedHashMap<>();
    YamlFields.mapping(features, "columns").ifPresent(m -> m.entries().forEach((k, e) -> {
      // A description, or {description, low, high} with the words for a segment low or high on the column.
      if (e.value() instanceof YamlNode.Mapping documented) {
        columnDocs.put(k, YamlFields.requiredString(documented, "description"));
        Optional<String> low = YamlFields.string(documented, "low");
        Optional<String> high = YamlFields.string(documented, "high");
        if (low.isPresent() || high.isPresent()) {
          columnWords.put(k, new io.segflow.dsl.model.FeatureWords(low, high));
        }
      } else {
        columnDocs.put(k, ((YamlNode.Scalar) e.value()).value());
      }
    }));
    SegmentDefinition definition = new SegmentDefinition(
        file,
        YamlFields.requiredString(root, "name"),
        YamlFields.requiredString(root, "description"),
        YamlFields.requiredString(root, "entity"),
        sources(YamlFields.mapping(root, "sources").orElseThrow()),
        new FeaturesSpec(sql.get(), columnDocs, columnWords),
        MethodSyntaxes.load(doc, YamlFields.mapping(root, "segmentation").orElseThrow()),
        YamlFields.mapping(root, "output")
            .map(o -> new OutputSpec(
                YamlFields.integer(o, "min_segment_size").map(Long::intValue).orElse(OutputSpec.PROTECTIVE_SIZE),
                YamlFields.integer(o, "min_segment_size").isPresent(),
                YamlFields.integer(o, "suppress_extremes_below").map(Long::intValue).orElse(OutputSpec.PROTECTIVE_SIZE)))
            .orElse(OutputSpec.DEFAULT),
        parameters(root),
        YamlFields.mapping(root, "holdout").map(h -> new HoldoutSpec(YamlFields.number(h, "share").orElseThrow(),
            YamlFields.requiredString(h, "salt"))),
        YamlFields.mapping(root, "consent").map(c -> new ConsentSpec(YamlFields.requiredString(c, "source"),
            YamlFields.requiredString(c, "column"),
            YamlFields.string(c, "entity").orElse(YamlFields.requiredString(root, "entity")))),
        YamlFields.mapping(root, "schedule").map(c -> new ScheduleSpec(YamlFields.requiredString(c, "cron"),
            YamlFields.string(c, "time_zone").orElse(ScheduleSpec.DEFAULT_TIME_ZONE))));
    return new Loaded(Optional.of(definition), Optional.of(doc), diagnostics);
  }

  private static Optional<SqlText> featuresSql(
      Path file, YamlDocument doc, YamlNode.Mapping features, List<Diagnostic> diagnostics) {
    Optional<YamlNode> inline = YamlFields.node(features, "sql");
    if (inline.isPresent()) {
      YamlNode.Scalar scalar = (YamlNode.Scalar) inline.get();
      return Optional.of(new SqlText(scalar.value(), SqlOrigins.of(doc, scalar)));
    }
    YamlNode.Scalar ref = (YamlNode.Scalar) YamlFields.node(features, "sql_file").orElseThrow();
    SqlFileResolver.Resolved resolved = SqlFileResolver.resolve(file, doc.displayPath(), ref.value(), ref.start());
    if (resolved instanceof SqlFileResolver.Problem p) {
      diagnostics.add(p.diagnostic());
      return Optional.empty();
    }
    return Optional.of(((SqlFileResolver.Found) resolved).sql());
  }

  private static Map<String, SourceSpec> sources(YamlNode.Mapping sources) {
    Map<String, SourceSpec> out = new LinkedHashMap<>();
    sources.entries().forEach((name, entry) -> {
      YamlNode.Mapping source = (YamlNode.Mapping) entry.value();
      List<Column> columns = new ArrayList<>();
      YamlFields.mapping(source, "columns").orElseThrow().entries().forEach((column, declared) -> columns.add(
          column(column, declared.value())));
      out.put(name, new SourceSpec(name, YamlFields.string(source, "description").orElse(""), columns));
    });
    return out;
  }

  /** {@code name: TYPE}, or {@code name: {type: TYPE, pii: true}}. */
  private static Column column(String name, YamlNode declared) {
    if (declared instanceof YamlNode.Mapping spec) {
      return new Column(name, ColumnType.valueOf(YamlFields.requiredString(spec, "type")),
          YamlFields.node(spec, "pii").map(n -> Boolean.parseBoolean(((YamlNode.Scalar) n).value())).orElse(false));
    }
    return new Column(name, ColumnType.valueOf(((YamlNode.Scalar) declared).value()));
  }

  private static Map<String, ParameterSpec> parameters(YamlNode.Mapping root) {
    Map<String, ParameterSpec> out = new LinkedHashMap<>();
    YamlFields.mapping(root, "parameters").ifPresent(m -> m.entries().forEach((name, entry) -> {
      YamlNode.Mapping spec = (YamlNode.Mapping) entry.value();
      out.put(name, new ParameterSpec(name, ColumnType.valueOf(YamlFields.requiredString(spec, "type")),
          ((YamlNode.Scalar) YamlFields.node(spec, "default").orElseThrow()).value(),
          YamlFields.string(spec, "description").orElse("")));
    }));
    return out;
  }
}
