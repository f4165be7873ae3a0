package io.segflow.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.segflow.compile.DefinitionValidator;
import io.segflow.dsl.diag.Diagnostics;
import io.segflow.dsl.env.Environment;
import io.segflow.dsl.env.EnvironmentResolver;
import io.segflow.dsl.load.DefinitionLoader;
import io.segflow.dsl.model.SegmentDefinition;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Loading what the pipeline tests run: an environment file, and a definition valid against it. */
final class Fixtures {
  private Fixtures() {}

  static Environment environment(Path file) {
    Diagnostics d = new Diagnostics();
    Path folder = file.toAbsolutePath().getParent();
    return DefinitionValidator.loadEnvironment(file.toAbsolutePath().toString(),
        new EnvironmentResolver(folder, Optional.empty()), d).orElseThrow(() -> new AssertionError(d.sorted()));
  }

  /** The definition, which must validate against the environment without a single diagnostic. */
  static SegmentDefinition definition(Path file, Environment env) {
    DefinitionLoader.Loaded loaded = DefinitionLoader.load(file.toAbsolutePath(), file.toString());
    DefinitionValidator.Checked checked = new DefinitionValidator().check(loaded, Optional.of(env));
    assertEquals(List.of(), checked.diagnostics().stream().map(d -> d.render()).toList());
    return checked.definition().orElseThrow();
  }
}
