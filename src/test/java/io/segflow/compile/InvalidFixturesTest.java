package io.segflow.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.segflow.dsl.diag.Diagnostic;
import io.segflow.dsl.load.DefinitionLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every file in {@code src/test/resources/dsl/invalid} must produce exactly the errors that
 * {@code EXPECTED.tsv} lists for it: line, column, code and field.
 */
class InvalidFixturesTest {
  private static final Path FOLDER = TestEnvironments.DSL_FIXTURES.resolve("invalid");
  private static final DefinitionValidator VALIDATOR = new DefinitionValidator();

  static Stream<Map.Entry<String, List<String>>> fixtures() throws IOException {
    return expectations().entrySet().stream();
  }

  private static Map<String, List<String>> expectations() throws IOException {
    Map<String, List<String>> expected = new LinkedHashMap<>();
    for (String line : Files.readAllLines(FOLDER.resolve("EXPECTED.tsv"))) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] cols = line.split("\t");
      String field = cols[3].equals("-") ? "" : cols[3];
      expected.computeIfAbsent(cols[0], k -> new ArrayList<>()).add(cols[1] + " " + cols[2] + " " + field);
    }
    return expected;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void producesExactlyTheExpectedErrors(Map.Entry<String, List<String>> fixture) {
    String name = fixture.getKey();
    List<Diagnostic> diagnostics = validate(name);
    List<String> actual = diagnostics.stream()
        .filter(Diagnostic::isError)
        .map(d -> d.position() + " " + d.code().code() + " " + d.field())
        .sorted()
        .toList();
    assertEquals(fixture.getValue().stream().sorted().toList(), actual,
        () -> name + " gave:\n" + String.join("\n", diagnostics.stream().map(Diagnostic::render).toList()));
    for (Diagnostic d : diagnostics) {
      assertFalse(d.message().isBlank(), "empty message: " + d.render());
      assertTrue(d.file().endsWith(name) || d.file().endsWith(".sql"), "diagnostic names the wrong file: " + d.render());
    }
  }

  @Test
  void theCorpusHasAtLeastFortyInvalidFixturesAndEveryFileIsListed() throws IOException {
    Map<String, List<String>> expected = expectations();
    try (Stream<Path> files = Files.list(FOLDER)) {
      List<String> yaml = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml")).sorted().toList();
      assertEquals(yaml, expected.keySet().stream().sorted().toList(), "EXPECTED.tsv and the fixture files differ");
    }
    assertTrue(expected.size() >= 40, "only " + expected.size() + " invalid fixtures");
  }

  @Test
  void fixtureNamesStartWithTheCodeTheyProduce() throws IOException {
    expectations().forEach((name, errors) -> assertTrue(
        errors.stream().anyMatch(e -> e.split(" ")[1].equals(name.substring(0, 5))),
        name + " does not produce " + name.substring(0, 5) + ": " + errors));
  }

  @Test
  void anEmptyMappingOrListIsCalledEmptyAndSoIsWhatItMustBe() {
    assertEquals(List.of("must be a non-empty mapping, got an empty mapping"), messages("SF104_columns_empty.yaml"));
    assertEquals(List.of("must be a non-empty list of strings matching ^[A-Za-z_][A-Za-z0-9_]{0,127}$, each once, "
        + "got an empty list"), messages("SF104_features_empty.yaml"));
  }

  private static List<String> messages(String fixture) {
    return validate(fixture).stream().filter(Diagnostic::isError).map(Diagnostic::message).toList();
  }

  static List<Diagnostic> validate(String fixture) {
    Path file = FOLDER.resolve(fixture);
    DefinitionLoader.Loaded loaded = DefinitionLoader.load(file, fixture);
    return VALIDATOR.check(loaded, Optional.of(TestEnvironments.test())).diagnostics();
  }
}
