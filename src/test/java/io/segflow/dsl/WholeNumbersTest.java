package io.segflow.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.segflow.dsl.diag.DiagnosticCode;
import io.segflow.dsl.load.DefinitionLoader;
import io.segflow.dsl.model.KMeansSpec;
import io.segflow.dsl.model.KSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A whole number written as a YAML float (found by the fuzzer: {@code k: 3.} was an internal error). */
class WholeNumbersTest {
  private static final String DEFINITION = String.join("\n",
      "apiVersion: segflow/v1",
      "name: fixture",
      "description: A fixture.",
      "entity: customer_id",
      "sources:",
      "  orders:",
      "    columns: {customer_id: STRING, amount: FLOAT64}",
      "features:",
      "  sql: SELECT customer_id, COUNT(*) AS orders, SUM(amount) AS spend FROM orders GROUP BY customer_id",
      "segmentation:",
      "  method: kmeans",
      "  features: [orders, spend]",
      "  k: %s",
      "");

  @ParameterizedTest
  @CsvSource({"3., 3", "4.0, 4", "1e1, 10", "0x5, 5", "6, 6"})
  void aWholeNumberInAnyYamlSpellingIsThatNumber(String written, int k) {
    DefinitionLoader.Loaded loaded = load(written);
    assertEquals(java.util.List.of(), loaded.diagnostics());
    assertEquals(new KSpec.Fixed(k), ((KMeansSpec) loaded.definition().orElseThrow().segmentation()).k());
  }

  @ParameterizedTest
  @CsvSource({"3.5", "2.000001", "1e300"})
  void aFractionOrAHugeNumberIsTheFieldsError(String written) {
    DefinitionLoader.Loaded loaded = load(written);
    assertTrue(loaded.definition().isEmpty());
    assertEquals(DiagnosticCode.INVALID_VALUE, loaded.diagnostics().get(0).code(), loaded.diagnostics().toString());
    assertEquals(13, loaded.diagnostics().get(0).position().line());
  }

  @ParameterizedTest
  @CsvSource({"'2\n  seed: 1e300', 14", "'{min: 1e300, max: 4}', 13", "'{min: 2, max: 99999999999}', 13"})
  void aNumberBeyondWhatTheFieldHoldsIsTheFieldsError(String kAndAfter, int line) {
    DefinitionLoader.Loaded loaded = load(kAndAfter);
    assertTrue(loaded.definition().isEmpty());
    assertEquals(DiagnosticCode.INVALID_VALUE, loaded.diagnostics().get(0).code(), loaded.diagnostics().toString());
    assertEquals(line, loaded.diagnostics().get(0).position().line());
  }

  private static DefinitionLoader.Loaded load(String k) {
    return DefinitionLoader.loadBytes(Path.of("whole.yaml"), "whole.yaml",
        String.format(DEFINITION, k).getBytes(StandardCharsets.UTF_8));
  }
}
