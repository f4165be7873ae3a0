package io.segflow.dsl.load;

import io.segflow.dsl.diag.Diagnostic;
import io.segflow.dsl.model.Column;
import io.segflow.dsl.model.ColumnType;
import io.segflow.dsl.model.FeaturesSpec;
import io.segflow.dsl.model.KMeansSpec;
import io.segflow.dsl.model.KSpec;
import io.segflow.dsl.model.OutputSpec;
import io.segflow.dsl.model.ParameterSpec;
import io.segflow.dsl.model.RuleSpec;
import io.segflow.dsl.model.RulesSpec;
import io.segflow.dsl.model.SegmentDefinition;
import io.segflow.dsl.model.SegmentationSpec;
import io.segflow.dsl.model.SourceSpec;
import io.segflow.dsl.model.SqlText;
import io.segflow.dsl.schema.SchemaValidator;
import io.segflow.dsl.yaml.YamlDocument;
import io.segflow.dsl.yaml.YamlNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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
    YamlFields.mapping(features, "columns").ifPresent(m -> m.entries().forEach(
        (k, e) -> columnDocs.put(k, ((YamlNode.Scalar) e.value()).value())));
    SegmentDefinition definition = new SegmentDefinition(
        file,
        YamlFields.requiredString(root, "name"),
        YamlFields.requiredString(root, "description"),
        YamlFields.requiredString(root, "entity"),
        sources(YamlFields.mapping(root, "sources").orElseThrow()),
        new FeaturesSpec(sql.get(), columnDocs),
        segmentation(doc, YamlFields.mapping(root, "segmentation").orElseThrow()),
        YamlFields.mapping(root, "output")
            .map(o -> new OutputSpec(YamlFields.integer(o, "min_segment_size").map(Long::intValue).orElse(1)))
            .orElse(OutputSpec.DEFAULT),
        parameters(root));
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
      YamlFields.mapping(source, "columns").orElseThrow().entries().forEach((column, type) -> columns.add(
          new Column(column, ColumnType.valueOf(((YamlNode.Scalar) type.value()).value()))));
      out.put(name, new SourceSpec(name, YamlFields.string(source, "description").orElse(""), columns));
    });
    return out;
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

  private static String constant(String value) {
    return value.toUpperCase(Locale.ROOT);
  }

  private static Map<String, KMeansSpec.TransformSpec> transforms(YamlNode.Mapping seg) {
    Map<String, KMeansSpec.TransformSpec> out = new LinkedHashMap<>();
    YamlFields.mapping(seg, "transform").ifPresent(m -> m.entries().forEach((feature, entry) -> {
      if (entry.value() instanceof YamlNode.Scalar fn) {
        out.put(feature, new KMeansSpec.TransformSpec(KMeansSpec.Function.valueOf(constant(fn.value())), Optional.empty()));
        return;
      }
      YamlNode.Mapping spec = (YamlNode.Mapping) entry.value();
      KMeansSpec.Function fn = YamlFields.string(spec, "apply").map(v -> KMeansSpec.Function.valueOf(constant(v)))
          .orElse(KMeansSpec.Function.NONE);
      Optional<KMeansSpec.Clip> clip = YamlFields.node(spec, "clip").map(n -> {
        List<YamlNode> bounds = ((YamlNode.Sequence) n).items();
        return new KMeansSpec.Clip(YamlFields.toDouble((YamlNode.Scalar) bounds.get(0)),
            YamlFields.toDouble((YamlNode.Scalar) bounds.get(1)));
      });
      out.put(feature, new KMeansSpec.TransformSpec(fn, clip));
    }));
    return out;
  }

  private static SegmentationSpec segmentation(YamlDocument doc, YamlNode.Mapping seg) {
    List<String> features = YamlFields.strings(seg, "features");
    if (YamlFields.requiredString(seg, "method").equals("kmeans")) {
      YamlNode k = YamlFields.node(seg, "k").orElseThrow();
      KSpec kSpec;
      if (k instanceof YamlNode.Mapping sweep) {
        kSpec = new KSpec.Sweep(
            YamlFields.integer(sweep, "min").orElseThrow().intValue(),
            YamlFields.integer(sweep, "max").orElseThrow().intValue(),
            KSpec.Criterion.valueOf(YamlFields.string(sweep, "select").orElse("silhouette").toUpperCase(Locale.ROOT)));
      } else {
        kSpec = new KSpec.Fixed(YamlFields.integer(seg, "k").orElseThrow().intValue());
      }
      return new KMeansSpec(
          features,
          kSpec,
          YamlFields.integer(seg, "seed").orElse(KMeansSpec.DEFAULT_SEED),
          transforms(seg),
          YamlFields.string(seg, "scaling").map(v -> KMeansSpec.Scaling.valueOf(constant(v)))
              .orElse(KMeansSpec.Scaling.STANDARD),
          YamlFields.string(seg, "nulls").map(v -> KMeansSpec.Nulls.valueOf(constant(v))).orElse(KMeansSpec.Nulls.REJECT),
          YamlFields.string(seg, "weights"),
          YamlFields.string(seg, "init").map(v -> v.equals("random") ? KMeansSpec.Init.RANDOM : KMeansSpec.Init.KMEANS_PLUS_PLUS)
              .orElse(KMeansSpec.Init.KMEANS_PLUS_PLUS),
          YamlFields.integer(seg, "restarts").map(Long::intValue).orElse(KMeansSpec.DEFAULT_RESTARTS),
          YamlFields.integer(seg, "max_iterations").map(Long::intValue).orElse(KMeansSpec.DEFAULT_MAX_ITERATIONS),
          YamlFields.number(seg, "tolerance").orElse(KMeansSpec.DEFAULT_TOLERANCE),
          YamlFields.integer(seg, "refinement_passes").map(Long::intValue).orElse(KMeansSpec.DEFAULT_REFINEMENT_PASSES),
          YamlFields.integer(seg, "sample_size").map(Long::intValue).orElse(KMeansSpec.DEFAULT_SAMPLE_SIZE),
          YamlFields.string(seg, "empty_cluster").map(v -> KMeansSpec.EmptyCluster.valueOf(constant(v)))
              .orElse(KMeansSpec.EmptyCluster.FARTHEST_POINT));
    }
    List<RuleSpec> rules = new ArrayList<>();
    for (YamlNode item : ((YamlNode.Sequence) YamlFields.node(seg, "rules").orElseThrow()).items()) {
      YamlNode.Mapping rule = (YamlNode.Mapping) item;
      YamlNode.Scalar when = (YamlNode.Scalar) YamlFields.node(rule, "when").orElseThrow();
      rules.add(new RuleSpec(
          YamlFields.requiredString(rule, "segment"),
          new SqlText(when.value(), SqlOrigins.of(doc, when)),
          YamlFields.string(rule, "description").orElse("")));
    }
    return new RulesSpec(features, rules, YamlFields.string(seg, "default").orElse(RulesSpec.DEFAULT_SEGMENT));
  }
}
