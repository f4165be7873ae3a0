package io.segflow.compile;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.segflow.dsl.diag.Diagnostic;
import io.segflow.dsl.diag.DiagnosticCode;
import io.segflow.dsl.load.DefinitionLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Coverage-guided fuzzing of `segflow validate`: any bytes as a definition give diagnostics, each with a
 * message and a line inside the file, never an exception or an internal error. {@code mvn test} replays the
 * inputs under {@code DefinitionFuzzTestInputs/} (valid definitions, for the fuzzer to start from);
 * {@code JAZZER_FUZZ=1} fuzzes for the given duration. {@link MutationFuzzTest} does seeded line edits.
 */
class DefinitionFuzzTest {
  private static final Path FILE = TestEnvironments.DSL_FIXTURES.resolve("valid/fuzzed.yaml");
  private final DefinitionValidator validator = new DefinitionValidator();

  @FuzzTest(maxDuration = "60s")
  void anyBytesGiveLocatedDiagnosticsNeverExceptions(byte[] bytes) {
    DefinitionLoader.Loaded loaded = DefinitionLoader.loadBytes(FILE, "fuzzed.yaml", bytes);
    // YAML breaks lines at CR, LF and CRLF, as editors do.
    int lines = new String(bytes, StandardCharsets.UTF_8).split("\r\n|\r|\n", -1).length;
    for (Diagnostic d : validator.check(loaded, Optional.of(TestEnvironments.test())).diagnostics()) {
      assertNotEquals(DiagnosticCode.INTERNAL, d.code(), d.render());
      assertFalse(d.message().isBlank(), "a diagnostic says what is wrong");
      if (!d.file().endsWith(".sql")) {
        assertTrue(d.position().line() >= 1 && d.position().line() <= lines + 1, "line inside the file: " + d.render());
      }
    }
  }
}
