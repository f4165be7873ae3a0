package io.segflow.pipeline;

import io.segflow.pipeline.refresh.PreviousSegments;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/**
 * What identifies one run and where its files go.
 *
 * @param parameterOverrides values given for the definition's parameters ({@code --param}); the others keep
 *     their defaults
 * @param previous the published run this one follows, whose segment ids it keeps
 */
public record RunContext(String runId, Instant runTime, Path outputDirectory, Map<String, String> parameterOverrides,
    PreviousSegments previous) {
  public RunContext {
    parameterOverrides = Map.copyOf(parameterOverrides);
  }

  /** A definition's first run: its segments are numbered from 0. */
  public RunContext(String runId, Instant runTime, Path outputDirectory, Map<String, String> parameterOverrides) {
    this(runId, runTime, outputDirectory, parameterOverrides, PreviousSegments.NONE);
  }

  /** A run with every parameter at its default. */
  public RunContext(String runId, Instant runTime, Path outputDirectory) {
    this(runId, runTime, outputDirectory, Map.of());
  }
}
