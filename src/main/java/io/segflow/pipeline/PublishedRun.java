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
 * @param history the segments of every published run of the definition but the new run itself (a rerun
 *     keeps its ids)
 */
public record PublishedRun(String runId, Instant runTime, JsonNode report, List<Segment> segments,
    Optional<String> model, SegmentHistory history) {
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

  /**
   * The ids a definition's published runs used: new segments are numbered above the highest, and a label
   * maps to the id it had in the latest run that published it.
   */
  public record SegmentHistory(java.util.Map<String, Integer> namedIds, int highestId) {
    public SegmentHistory {
      namedIds = java.util.Map.copyOf(namedIds);
    }

    /** Collects (id, label, last run time) rows, one per id and label, in any order. */
    static final class Builder {
      private final java.util.Map<String, Instant> lastSeen = new java.util.HashMap<>();
      private final java.util.Map<String, Integer> namedIds = new java.util.HashMap<>();
      private int highestId = -1;

      Builder add(long id, String label, Instant seen) {
        int segment = Math.toIntExact(id);
        highestId = Math.max(highestId, segment);
        Instant before = lastSeen.get(label);
        if (before == null || seen.isAfter(before) || seen.equals(before) && segment > namedIds.get(label)) {
          lastSeen.put(label, seen);
          namedIds.put(label, segment);
        }
        return this;
      }

      SegmentHistory build() {
        return new SegmentHistory(namedIds, highestId);
      }
    }
  }

  /** From the report as the runs table holds it; the run's time is the report's. */
  static PublishedRun of(String runId, JsonNode report, List<Segment> segments, Optional<String> model,
      SegmentHistory history) {
    return new PublishedRun(runId, Instant.parse(report.get("run_time").asText()), report, segments, model,
        history);
  }

  /** What the new run's pipeline needs of this one to keep its segment ids. */
  public io.segflow.pipeline.refresh.PreviousSegments segmentsToKeep() {
    java.util.Map<Integer, String> labels = new java.util.TreeMap<>();
    segments.forEach(s -> labels.put(Math.toIntExact(s.id()), s.label()));
    return io.segflow.pipeline.refresh.PreviousSegments.of(runId, labels, model, history.namedIds(),
        history.highestId());
  }
}
