package io.segflow.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.segflow.dsl.diag.Diagnostic;
import io.segflow.dsl.env.Environment;
import io.segflow.dsl.load.DefinitionLoader;
import io.segflow.dsl.model.KMeansSpec;
import io.segflow.dsl.model.KSpec;
import io.segflow.dsl.model.RfmSpec;
import io.segflow.dsl.model.RulesSpec;
import io.segflow.dsl.model.SegmentDefinition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** The valid fixtures and the shipped examples validate with no error and no warning. */
class ValidDefinitionsTest {
  private static final DefinitionValidator VALIDATOR = new DefinitionValidator();

  static Stream<Path> validFixtures() throws IOException {
    return yamlUnder(TestEnvironments.DSL_FIXTURES.resolve("valid"));
  }

  static Stream<Path> examples() throws IOException {
    return yamlUnder(TestEnvironments.REPOSITORY.resolve("segment-definitions"));
  }

  private static Stream<Path> yamlUnder(Path folder) throws IOException {
    try (Stream<Path> files = Files.walk(folder)) {
      return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList().stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("validFixtures")
  void validFixturesHaveNoDiagnostics(Path file) {
    assertClean(file, TestEnvironments.test());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void examplesValidateAgainstTheLocalEnvironment(Path file) {
    assertClean(file, TestEnvironments.local());
  }

  @Test
  void theExamplesCoverKmeansRulesAndCdnow() throws IOException {
    List<SegmentDefinition> defs = examples().map(f -> assertClean(f, TestEnvironments.local())).toList();
    assertTrue(defs.size() >= 3, "expected at least three examples");
    assertTrue(defs.stream().anyMatch(d -> d.segmentation() instanceof KMeansSpec && d.sources().containsKey("retail_transactions")));
    assertTrue(defs.stream().anyMatch(d -> d.segmentation() instanceof RulesSpec && d.sources().containsKey("retail_transactions")));
    assertTrue(defs.stream().anyMatch(d -> d.sources().containsKey("cdnow_purchases")));
  }

  @Test
  void bindsTheModelFromTheYaml() {
    SegmentDefinition sweep = assertClean(
        TestEnvironments.DSL_FIXTURES.resolve("valid/kmeans_sweep.yaml"), TestEnvironments.test());
    KMeansSpec kmeans = assertInstanceOf(KMeansSpec.class, sweep.segmentation());
    assertEquals(new KSpec.Sweep(2, 6, KSpec.Criterion.DAVIES_BOULDIN, 0.05), kmeans.k());
    assertEquals(7, kmeans.seed());
    assertEquals(List.of("orders", "spend"), kmeans.features());
    assertEquals(new KMeansSpec.TransformSpec(KMeansSpec.Function.LOG1P, Optional.empty()), kmeans.transforms().get("spend"));
    assertEquals(new KMeansSpec.TransformSpec(KMeansSpec.Function.SQRT, Optional.of(new KMeansSpec.Clip(0.0, 0.99))),
        kmeans.transforms().get("orders"));
    assertEquals(KMeansSpec.Scaling.ROBUST, kmeans.scaling());
    assertEquals(KMeansSpec.Nulls.IMPUTE_MEDIAN, kmeans.nulls());
    assertEquals(Optional.of("orders"), kmeans.weights());
    assertEquals(KMeansSpec.Init.RANDOM, kmeans.init());
    assertEquals(List.of(3, 50, 1, 1000), List.of(kmeans.restarts(), kmeans.maxIterations(), kmeans.refinementPasses(),
        kmeans.sampleSize()));
    assertEquals(1e-3, kmeans.tolerance());
    assertEquals(KMeansSpec.EmptyCluster.ERROR, kmeans.emptyCluster());

    SegmentDefinition rules = assertClean(
        TestEnvironments.DSL_FIXTURES.resolve("valid/anchors_and_join.yaml"), TestEnvironments.test());
    RulesSpec spec = assertInstanceOf(RulesSpec.class, rules.segmentation());
    assertEquals("rest", spec.defaultSegment());
    assertEquals("tenure_days > 365\nAND spend > 0\n", spec.rules().get(1).when().text());
    assertEquals(List.of("customer_id", "amount"),
        rules.sources().get("orders").columns().stream().map(c -> c.name()).toList(), "the anchor is shared");
    assertEquals(5, rules.output().minSegmentSize());
  }

  @Test
  void bindsRfmWithTheClassicMapOrItsOwnSegments() {
    RfmSpec classic = assertInstanceOf(RfmSpec.class, assertClean(
        TestEnvironments.DSL_FIXTURES.resolve("valid/rfm_classic.yaml"), TestEnvironments.test()).segmentation());
    assertEquals(List.of("recency_days", "orders", "spend"), classic.measures());
    assertEquals(classic.measures(), classic.features(), "the measures are profiled unless features says otherwise");
    assertEquals(List.of(5, 0), List.of(classic.bins(), classic.segments().size()));
    assertEquals("others", classic.defaultSegment());

    RfmSpec own = assertInstanceOf(RfmSpec.class, assertClean(
        TestEnvironments.DSL_FIXTURES.resolve("valid/rfm_own_segments.yaml"), TestEnvironments.test()).segmentation());
    assertEquals(4, own.bins());
    assertEquals(List.of("best", "slipping"), own.segments().stream().map(r -> r.segment()).toList());
    assertEquals("r_score = 4 AND f_score + m_score >= 7", own.segments().get(0).when().text());
    assertEquals("rest", own.defaultSegment());
  }

  static SegmentDefinition assertClean(Path file, Environment env) {
    DefinitionLoader.Loaded loaded = DefinitionLoader.load(file, file.toString());
    DefinitionValidator.Checked checked = VALIDATOR.check(loaded, Optional.of(env));
    assertEquals(List.of(), checked.diagnostics().stream().map(Diagnostic::render).toList());
    return checked.definition().orElseThrow();
  }
}
