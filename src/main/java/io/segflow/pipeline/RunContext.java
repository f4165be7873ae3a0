package io.segflow.pipeline;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/**
 * What identifies one run and where its files go.
 *
 * @param parameterOverrides values given for the definition's parameters ({@code --param}); the others keep
 *     their defaults
 */
public record RunContext(String runId, Instant runTime, Path outputDirectory, Map<String, String> parameterOverrides) {
  public RunContext {
    parameterOverrides = Map.copyOf(parameterOverrides);
  }

  /** A run with every parameter at its default. */
  public RunContext(String runId, Instant runTime, Path outputDirectory) {
    this(runId, runTime, outputDirectory, Map.of());
  }
}
