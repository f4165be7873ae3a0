package io.segflow.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.segflow.pipeline.refresh.SegmentIds;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.segflow.transforms.io.SourceCounters;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.DistributionResult;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;

/**
 * The counts of a finished run, from its Beam metrics (rejects by stage and reason too), and the accounting they must
 * satisfy: per source, rows read = rows used + rows rejected + blank lines; entities with features =
 * members + entities rejected + entities without consent.
 */
public record RunReport(
    Map<String, Map<String, Long>> sources, long entitiesFeatured, long members, long entitiesRejected,
    long holdoutMembers, long withoutConsent, Map<String, Long> rejectsByReason, Map<SegmentKey, Long> segmentSizes,
    Map<SegmentKey, Double> centroidShifts, Map<String, Double> featureStability) {

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public static RunReport of(PipelineResult result) {
    Map<String, Map<String, Long>> sources = new TreeMap<>();
    Map<String, Long> counts = new LinkedHashMap<>();
    Map<String, Long> reasons = new TreeMap<>();
    for (MetricResult<Long> c : result.metrics().queryMetrics(MetricsFilter.builder().build()).getCounters()) {
      String namespace = c.getName().getNamespace();
      long value = c.getAttempted();
      if (namespace.startsWith(SourceCounters.NAMESPACE)) {
        sources.computeIfAbsent(namespace.substring(SourceCounters.NAMESPACE.length()), k -> new TreeMap<>())
            .merge(c.getName().getName(), value, Long::sum);
      } else if (namespace.equals(SegflowPipeline.METRICS)) {
        counts.merge(c.getName().getName(), value, Long::sum);
      } else if (namespace.equals(SegflowPipeline.REJECT_REASONS)) {
        reasons.merge(c.getName().getName(), value, Long::sum);
      }
    }
    Map<SegmentKey, Long> segments = new TreeMap<>(SegmentKey.BY_ID);
    Map<SegmentKey, Double> shifts = new TreeMap<>(SegmentKey.BY_ID);
    Map<String, Double> stability = new TreeMap<>();
    for (MetricResult<DistributionResult> d
        : result.metrics().queryMetrics(MetricsFilter.builder().build()).getDistributions()) {
      if (d.getName().getNamespace().equals(SegflowPipeline.SEGMENT_SIZES)) {
        segments.merge(SegmentKey.ofMetricName(d.getName().getName()), d.getAttempted().getSum(), Long::sum);
      } else if (d.getName().getNamespace().equals(SegflowPipeline.SEGMENT_SHIFTS)) {
        shifts.put(SegmentKey.ofMetricName(d.getName().getName()), d.getAttempted().getSum() / SegflowPipeline.SHIFT_UNITS);
      } else if (d.getName().getNamespace().equals(SegflowPipeline.FEATURE_PSI)) {
        stability.put(d.getName().getName(), d.getAttempted().getSum() / SegflowPipeline.SHIFT_UNITS);
      }
    }
    return new RunReport(sources, counts.getOrDefault("entities_featured", 0L), counts.getOrDefault("members", 0L),
        counts.getOrDefault("entities_rejected", 0L), counts.getOrDefault("holdout_members", 0L),
        counts.getOrDefault("entities_without_consent", 0L), reasons, segments, shifts, stability);
  }

  /**
   * The segments with fewer members than {@code minSize}, each described for a message (a rule that matches
   * nobody makes no segment, so it is not reported here).
   */
  public List<String> segmentsSmallerThan(int minSize) {
    // Noise is who fits no segment: however few, it is not a segment to act on.
    return segmentSizes.entrySet().stream().filter(e -> e.getKey().id() != SegmentIds.NOISE)
        .filter(e -> e.getValue() < minSize)
        .map(e -> e.getKey() + " has " + e.getValue() + " members").toList();
  }

  /**
   * True when every row read is used, rejected or a blank line (counted apart from where they are read),
   * and every entity featured is a member or rejected.
   */
  public boolean balanced() {
    boolean sourcesBalance = sources.values().stream()
        .allMatch(s -> s.getOrDefault("read", 0L) == s.getOrDefault("rows", 0L) + s.getOrDefault("rejected", 0L)
            + s.getOrDefault("blank", 0L));
    return sourcesBalance && entitiesFeatured == members + entitiesRejected + withoutConsent;
  }

  public void write(Path file, Map<String, Object> header) throws IOException {
    Files.writeString(file, toJson(header) + "\n");
  }

  /** The report as run.json holds it: the header's keys, then the counts. */
  public String toJson(Map<String, Object> header) throws IOException {
    return JSON.writeValueAsString(toJsonTree(header));
  }

  /** {@link #toJson}'s document, for a caller that reads it rather than writes it. */
  public ObjectNode toJsonTree(Map<String, Object> header) {
    ObjectNode root = JSON.valueToTree(header);
    root.set("sources", JSON.valueToTree(sources));
    root.put("entities_featured", entitiesFeatured);
    root.put("members", members);
    root.put("entities_rejected", entitiesRejected);
    root.put("holdout_members", holdoutMembers);
    root.put("entities_without_consent", withoutConsent);
    root.set("rejects_by_reason", JSON.valueToTree(rejectsByReason));
    root.put("balanced", balanced());
    return root;
  }
}
