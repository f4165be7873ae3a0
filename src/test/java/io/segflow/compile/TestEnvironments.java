package io.segflow.compile;

import io.segflow.dsl.diag.Diagnostics;
import io.segflow.dsl.env.Environment;
import io.segflow.dsl.env.EnvironmentResolver;
import java.nio.file.Path;
import java.util.Optional;

/** The environments the tests validate against, loaded once. */
public final class TestEnvironments {
  public static final Path REPOSITORY = Path.of("").toAbsolutePath();
  public static final Path DSL_FIXTURES = REPOSITORY.resolve("src/test/resources/dsl");
  public static final Path TEST_ENV_FILE = DSL_FIXTURES.resolve("env/test.yaml");

  private static Environment test;
  private static Environment local;

  private TestEnvironments() {}

  public static synchronized Environment test() {
    if (test == null) {
      test = load(TEST_ENV_FILE.toString());
    }
    return test;
  }

  public static synchronized Environment local() {
    if (local == null) {
      local = load("local");
    }
    return local;
  }

  private static Environment load(String argument) {
    Diagnostics diagnostics = new Diagnostics();
    Optional<Environment> env = DefinitionValidator.loadEnvironment(
        argument, new EnvironmentResolver(REPOSITORY, Optional.empty()), diagnostics);
    if (diagnostics.hasErrors() || env.isEmpty()) {
      throw new AssertionError("test environment " + argument + " does not load: " + diagnostics.sorted());
    }
    return env.get();
  }
}
