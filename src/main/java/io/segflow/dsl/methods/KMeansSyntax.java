package io.segflow.dsl.methods;

import io.segflow.dsl.diag.Diagnostic;
import io.segflow.dsl.diag.DiagnosticCode;
import io.segflow.dsl.model.KMeansSpec;
import io.segflow.dsl.model.KSpec;
import io.segflow.dsl.schema.SchemaDefaults;
import io.segflow.dsl.yaml.YamlDocument;
import io.segflow.dsl.yaml.YamlFields;
import io.segflow.dsl.yaml.YamlNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** {@code method: kmeans}: k (or a sweep), seed, per-feature transforms, scaling, nulls, weights, solver settings. */
final class KMeansSyntax implements MethodSyntax<KMeansSpec> {
  /** What a key left out means: the schema's {@code default}. */
  private static final SchemaDefaults DEFAULTS = SchemaDefaults.of("kmeans");
  private static final SchemaDefaults SWEEP_DEFAULTS = SchemaDefaults.of("kSweep");

  @Override
  public String method() {
    return "kmeans";
  }

  @Override
  public Class<KMeansSpec> specType() {
    return KMeansSpec.class;
  }

  @Override
  public KMeansSpec load(YamlDocument doc, YamlNode.Mapping seg) {
    YamlNode k = YamlFields.node(seg, "k").orElseThrow();
    KSpec kSpec;
    if (k instanceof YamlNode.Mapping sweep) {
      kSpec = new KSpec.Sweep(
          YamlFields.integer(sweep, "min").orElseThrow().intValue(),
          YamlFields.integer(sweep, "max").orElseThrow().intValue(),
          KSpec.Criterion.valueOf(constant(SWEEP_DEFAULTS.stringIn(sweep, "select"))),
          YamlFields.number(sweep, "min_segment_share").orElse(0.0));
    } else {
      kSpec = new KSpec.Fixed(YamlFields.integer(seg, "k").orElseThrow().intValue());
    }
    return new KMeansSpec(
        YamlFields.strings(seg, "features"),
        kSpec,
        seed(seg),
        transforms(seg),
        scaling(seg),
        nulls(seg),
        YamlFields.string(seg, "weights"),
        DEFAULTS.stringIn(seg, "init").equals("random") ? KMeansSpec.Init.RANDOM : KMeansSpec.Init.KMEANS_PLUS_PLUS,
        integer(seg, "restarts"),
        integer(seg, "max_iterations"),
        DEFAULTS.numberIn(seg, "tolerance"),
        integer(seg, "refinement_passes"),
        integer(seg, "sample_size"),
        KMeansSpec.EmptyCluster.valueOf(constant(DEFAULTS.stringIn(seg, "empty_cluster"))),
        YamlFields.mapping(seg, "refresh").map(KMeansSyntax::refresh).orElse(KMeansSpec.Refresh.DEFAULT));
  }

  private static int integer(YamlNode.Mapping seg, String key) {
    return Math.toIntExact(DEFAULTS.integerIn(seg, key));
  }

  static long seed(YamlNode.Mapping seg) {
    return DEFAULTS.integerIn(seg, "seed");
  }

  static KMeansSpec.Scaling scaling(YamlNode.Mapping seg) {
    return KMeansSpec.Scaling.valueOf(constant(DEFAULTS.stringIn(seg, "scaling")));
  }

  static KMeansSpec.Nulls nulls(YamlNode.Mapping seg) {
    return KMeansSpec.Nulls.valueOf(constant(DEFAULTS.stringIn(seg, "nulls")));
  }

  static KMeansSpec.Refresh refresh(YamlNode.Mapping refresh) {
    Map<Integer, String> names = new LinkedHashMap<>();
    YamlFields.mapping(refresh, "segment_names").ifPresent(m -> m.entries().forEach(
        (id, entry) -> names.put(Integer.parseInt(id), ((YamlNode.Scalar) entry.value()).value())));
    return new KMeansSpec.Refresh(
        YamlFields.string(refresh, "warm_start").map(Boolean::parseBoolean).orElse(false),
        YamlFields.mapping(refresh, "max_drift").flatMap(d -> YamlFields.number(d, "centroid_shift")),
        YamlFields.mapping(refresh, "max_drift").flatMap(d -> YamlFields.number(d, "feature_psi")),
        names);
  }

  static Map<String, KMeansSpec.TransformSpec> transforms(YamlNode.Mapping seg) {
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

  @Override
  public List<Diagnostic> check(KMeansSpec kmeans, YamlDocument doc) {
    List<Diagnostic> out = new ArrayList<>();
    if (kmeans.k() instanceof KSpec.Sweep sweep && sweep.min() > sweep.max()) {
      out.add(Diagnostic.error(doc.displayPath(), doc.locate(List.of("segmentation", "k", "min")).node().start(),
          DiagnosticCode.K_SWEEP_RANGE, "segmentation.k",
          "min (" + sweep.min() + ") is greater than max (" + sweep.max() + ")"));
    }
    out.addAll(checkSegmentNames(kmeans.refresh(), doc));
    out.addAll(checkTransforms(kmeans.features(), kmeans.transforms(), doc));
    return out;
  }

  /** Each name given to one segment only. */
  static List<Diagnostic> checkSegmentNames(KMeansSpec.Refresh refresh, YamlDocument doc) {
    List<Diagnostic> out = new ArrayList<>();
    Map<String, Integer> named = new LinkedHashMap<>();
    refresh.segmentNames().forEach((id, name) -> {
      Integer first = named.putIfAbsent(name, id);
      if (first != null) {
        YamlDocument.Located at = doc.locate(List.of("segmentation", "refresh", "segment_names", String.valueOf(id)));
        out.add(Diagnostic.error(doc.displayPath(), at.node().start(), DiagnosticCode.DUPLICATE_SEGMENT,
            "segmentation.refresh.segment_names." + id, "'" + name + "' already names segment " + first
                + "; each segment needs its own name"));
      }
    });
    return out;
  }

  /** Transforms name features, and clips are ranges. */
  static List<Diagnostic> checkTransforms(List<String> features, Map<String, KMeansSpec.TransformSpec> transforms,
      YamlDocument doc) {
    List<Diagnostic> out = new ArrayList<>();
    transforms.forEach((feature, spec) -> {
      if (!features.contains(feature)) {
        YamlDocument.Located at = doc.locate(List.of("segmentation", "transform", feature));
        out.add(Diagnostic.error(doc.displayPath(), at.keyOrStart(), DiagnosticCode.TRANSFORM_NOT_A_FEATURE,
            "segmentation.transform." + feature, "'" + feature + "' is not in segmentation.features ("
                + String.join(", ", features) + "); transforms apply to the features the method uses"));
      }
      spec.clip().filter(c -> !(c.lower() < c.upper())).ifPresent(c -> {
        YamlDocument.Located at = doc.locate(List.of("segmentation", "transform", feature, "clip"));
        out.add(Diagnostic.error(doc.displayPath(), at.node().start(), DiagnosticCode.CLIP_RANGE,
            "segmentation.transform." + feature + ".clip", "the lower quantile (" + c.lower()
                + ") must be below the upper (" + c.upper() + "), e.g. [0.01, 0.99]"));
      });
    });
    return out;
  }

  @Override
  public List<RequiredColumn> requiredColumns(KMeansSpec kmeans) {
    List<RequiredColumn> out = new ArrayList<>(RequiredColumn.features(kmeans.features(),
        Optional.of("k-means needs numeric features (INT64, FLOAT64 or NUMERIC)")));
    kmeans.weights().ifPresent(w -> out.add(new RequiredColumn(w, List.of("segmentation", "weights"),
        "segmentation.weights", Optional.of("weights must be numeric"))));
    return out;
  }

  static String constant(String value) {
    return value.toUpperCase(Locale.ROOT);
  }
}
