package io.segflow.dsl.methods;

import io.segflow.dsl.diag.Diagnostic;
import io.segflow.dsl.diag.DiagnosticCode;
import io.segflow.dsl.model.DbscanSpec;
import io.segflow.dsl.model.KMeansSpec;
import io.segflow.dsl.schema.SchemaDefaults;
import io.segflow.dsl.yaml.YamlDocument;
import io.segflow.dsl.yaml.YamlFields;
import io.segflow.dsl.yaml.YamlNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/** {@code method: dbscan}: eps (or auto), min_points, and k-means' preparation keys (transform, scaling, nulls). */
final class DbscanSyntax implements MethodSyntax<DbscanSpec> {
  private static final SchemaDefaults DEFAULTS = SchemaDefaults.of("dbscan");

  @Override
  public String method() {
    return "dbscan";
  }

  @Override
  public Class<DbscanSpec> specType() {
    return DbscanSpec.class;
  }

  @Override
  public DbscanSpec load(YamlDocument doc, YamlNode.Mapping seg) {
    List<String> features = YamlFields.strings(seg, "features");
    // The schema allows a positive number or "auto" only.
    String eps = DEFAULTS.stringIn(seg, "eps");
    return new DbscanSpec(
        features,
        KMeansSyntax.transforms(seg),
        KMeansSyntax.scaling(seg),
        KMeansSyntax.nulls(seg),
        KMeansSyntax.seed(seg),
        Math.toIntExact(DEFAULTS.integerIn(seg, "sample_size")),
        eps.equals("auto") ? OptionalDouble.empty() : OptionalDouble.of(Double.parseDouble(eps)),
        YamlFields.integer(seg, "min_points").map(Long::intValue)
            .orElse(DbscanSpec.defaultMinPoints(features.size())),
        YamlFields.mapping(seg, "refresh").map(KMeansSyntax::refresh).orElse(KMeansSpec.Refresh.DEFAULT));
  }

  @Override
  public List<Diagnostic> check(DbscanSpec spec, YamlDocument doc) {
    List<Diagnostic> out = new ArrayList<>(KMeansSyntax.checkSegmentNames(spec.refresh(), doc));
    spec.refresh().segmentNames().forEach((id, name) -> {
      if (name.equals(DbscanSpec.NOISE_SEGMENT)) {
        YamlDocument.Located at = doc.locate(List.of("segmentation", "refresh", "segment_names", String.valueOf(id)));
        out.add(Diagnostic.error(doc.displayPath(), at.node().start(), DiagnosticCode.DUPLICATE_SEGMENT,
            "segmentation.refresh.segment_names." + id, "'" + name + "' names segment -1, the entities in no dense"
                + " region, in every run; give segment " + id + " another name"));
      }
    });
    out.addAll(KMeansSyntax.checkTransforms(spec.features(), spec.transforms(), doc));
    return out;
  }

  @Override
  public List<RequiredColumn> requiredColumns(DbscanSpec spec) {
    return RequiredColumn.features(spec.features(), Optional.of("dbscan needs numeric features (INT64, FLOAT64 or NUMERIC)"));
  }
}
