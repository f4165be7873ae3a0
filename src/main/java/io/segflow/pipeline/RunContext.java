package io.segflow.pipeline;

import io.segflow.pipeline.refresh.PreviousSegments;
import java.nio.file.Path;
import java.time.Instant;

/**
 * What identifies one run and where its files go; the parameters' values are the compiled definition's.
 *
 * @param previous the published run this one follows, whose segment ids it keeps
 */
public record RunContext(String runId, Instant runTime, Path outputDirectory, PreviousSegments previous) {
  /** A definition's first run: its segments are numbered from 0. */
  public RunContext(String runId, Instant runTime, Path outputDirectory) {
    this(runId, runTime, outputDirectory, PreviousSegments.NONE);
  }
}
