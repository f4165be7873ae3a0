package io.segflow.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A run as its warehouse holds it once published, read back for the runs that follow it (a refresh keeps
 * its segments' ids; a stream assigns with its model).
 *
 * @param report the run's report (run.json) as published
 * @param segments its segments, by id
 * @param model the method's model as JSON (k-means), empty for a method without one (rules)
 */
public record PublishedRun(String runId, Instant runTime, JsonNode report, List<Segment> segments,
    Optional<String> model) {
  public PublishedRun {
    segments = List.copyOf(segments);
  }

  /**
   * Which published run a new run follows.
   *
   * @param named the run given (a refresh's {@code --previous}); empty for the latest
   * @param newRunId the new run's id, never its own predecessor
   */
  public record Wanted(java.util.Optional<String> named, String newRunId) {
    public static Wanted latestBefore(String newRunId) {
      return new Wanted(java.util.Optional.empty(), newRunId);
    }
  }

  /** One segment of a published run. */
  public record Segment(long id, String label, long size) {}

  /** From the report as the runs table holds it; the run's time is the report's. */
  static PublishedRun of(String runId, JsonNode report, List<Segment> segments, Optional<String> model) {
    return new PublishedRun(runId, Instant.parse(report.get("run_time").asText()), report, segments, model);
  }
}
