package io.segflow.pipeline;

import java.nio.file.Path;
import java.time.Instant;

/** What identifies one run and where its files go. */
public record RunContext(String runId, Instant runTime, Path outputDirectory) {}
