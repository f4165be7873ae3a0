package io.segflow.pipeline.methods;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.segflow.dsl.load.DefinitionLoader;
import io.segflow.dsl.model.KMeansSpec;
import io.segflow.transforms.points.FeatureSpec;
import io.segflow.transforms.kmeans.KMeans;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * k-means' defaults are stated once for the language, as the schema's {@code default} keywords, which the
 * loader applies (and SchemaContractTest holds each description to); the transform, a library of its own,
 * has {@code KMeans.fit()}'s. A definition that leaves every option out must fit as the transform's
 * defaults do.
 */
class KMeansDefaultsTest {
  private static final String MINIMAL = """
      apiVersion: segflow/v1
      name: defaults
      description: Only what k-means requires.
      entity: customer_id
      sources:
        orders:
          columns: {customer_id: STRING, amount: FLOAT64}
      features:
        sql: SELECT customer_id, SUM(amount) AS spend, COUNT(*) AS orders FROM orders GROUP BY customer_id
      segmentation:
        method: kmeans
        features: [spend, orders]
        k: 3
      """;

  @Test
  void aDefinitionWithoutOptionsFitsAsTheTransformsOwnDefaults(@TempDir Path dir) throws Exception {
    KMeansSpec spec = minimal(dir);
    KMeans.Fit fromDefinition = KMeansMethod.fit("customer_id", spec);
    KMeans.Fit fromTransform = KMeans.fit().withEntityField("customer_id")
        .withFeatures(FeatureSpec.of("spend"), FeatureSpec.of("orders")).withK(3);
    assertEquals(settings(fromTransform), settings(fromDefinition));
  }

  @Test
  void theLoaderAppliesTheSchemasDefaults(@TempDir Path dir) throws Exception {
    KMeansSpec spec = minimal(dir);
    Map<String, String> loaded = new LinkedHashMap<>();
    loaded.put("seed", Long.toString(spec.seed()));
    loaded.put("scaling", spec.scaling().name().toLowerCase(Locale.ROOT));
    loaded.put("nulls", spec.nulls().name().toLowerCase(Locale.ROOT));
    loaded.put("init", spec.init() == KMeansSpec.Init.KMEANS_PLUS_PLUS ? "kmeans++" : "random");
    loaded.put("restarts", Integer.toString(spec.restarts()));
    loaded.put("max_iterations", Integer.toString(spec.maxIterations()));
    loaded.put("tolerance", java.math.BigDecimal.valueOf(spec.tolerance()).stripTrailingZeros().toPlainString());
    loaded.put("refinement_passes", Integer.toString(spec.refinementPasses()));
    loaded.put("sample_size", Integer.toString(spec.sampleSize()));
    loaded.put("empty_cluster", spec.emptyCluster().name().toLowerCase(Locale.ROOT));

    JsonNode kmeans = new ObjectMapper().readTree(Path.of("dsl/schema/segment-definition.v1.json").toFile())
        .at("/$defs/kmeans/properties");
    Map<String, String> stated = new LinkedHashMap<>();
    for (String key : loaded.keySet()) {
      JsonNode value = kmeans.at("/" + key + "/default");
      stated.put(key, value.isMissingNode() ? "(no default keyword)" : value.isNumber()
          ? value.decimalValue().stripTrailingZeros().toPlainString() : value.asText());
    }
    assertEquals(stated, loaded);
  }

  /** The k-means options of a definition that gives only the required keys, as the loader reads them. */
  private static KMeansSpec minimal(Path dir) throws Exception {
    Path file = dir.resolve("defaults.yaml");
    Files.writeString(file, MINIMAL);
    return (KMeansSpec) DefinitionLoader.load(file, "defaults.yaml").definition().orElseThrow().segmentation();
  }

  private static Object settings(KMeans.Fit fit) throws ReflectiveOperationException {
    Field s = KMeans.Fit.class.getDeclaredField("s");
    s.setAccessible(true);
    return s.get(fit);
  }
}
