package io.segflow.dsl.methods;

import io.segflow.dsl.diag.Diagnostic;
import io.segflow.dsl.model.BisectingKMeansSpec;
import io.segflow.dsl.schema.SchemaDefaults;
import io.segflow.dsl.yaml.YamlDocument;
import io.segflow.dsl.yaml.YamlNode;
import java.util.List;

/** {@code method: bisecting_kmeans}: k-means' keys (one k, no warm start), and {@code min_divisible_size}. */
final class BisectingKMeansSyntax implements MethodSyntax<BisectingKMeansSpec> {
  private static final SchemaDefaults DEFAULTS = SchemaDefaults.of("bisecting_kmeans");

  private final KMeansSyntax kmeans = new KMeansSyntax();

  @Override
  public String method() {
    return "bisecting_kmeans";
  }

  @Override
  public Class<BisectingKMeansSpec> specType() {
    return BisectingKMeansSpec.class;
  }

  @Override
  public BisectingKMeansSpec load(YamlDocument doc, YamlNode.Mapping seg) {
    return new BisectingKMeansSpec(kmeans.load(doc, seg),
        DEFAULTS.numberIn(seg, "min_divisible_size"));
  }

  @Override
  public List<Diagnostic> check(BisectingKMeansSpec spec, YamlDocument doc) {
    return kmeans.check(spec.kmeans(), doc);
  }

  @Override
  public List<RequiredColumn> requiredColumns(BisectingKMeansSpec spec) {
    return kmeans.requiredColumns(spec.kmeans());
  }
}
