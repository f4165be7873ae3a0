package io.segflow.pipeline;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * How a run's segments relate to the published run it follows: the ids it kept, the ids it added, the
 * previous ids it no longer has, how far each segment and feature drifted, and how the fit started from the
 * previous run (a warm start). A definition's first run added every id.
 */
public record Refresh(Optional<String> previousRunId, List<Integer> kept, List<Integer> added,
    List<Integer> vanished, List<SegmentDrift> drift, Map<String, Double> featureStability,
    Optional<String> start) {
  /** Read as Evidently and most credit-risk practice do: below this a feature has not changed much. */
  public static final double STABLE_BELOW = 0.1;

  public Refresh {
    kept = List.copyOf(kept);
    added = List.copyOf(added);
    vanished = List.copyOf(vanished);
    drift = List.copyOf(drift);
    featureStability = java.util.Collections.unmodifiableMap(new TreeMap<>(featureStability));
  }

  /**
   * One segment of the run beside what its id had in the previous run.
   *
   * @param previousSize empty for a new segment
   * @param stayedShare the share of the previous segment's members still in it; empty for a new segment
   * @param centroidShift how far a kept k-means segment's centroid moved (previous run's scaled units)
   */
  public record SegmentDrift(int id, String label, long size, double share, Optional<Long> previousSize,
      Optional<Double> previousShare, Optional<Double> stayedShare, Optional<Double> centroidShift) {
    /** The change of the segment's share of the members, in percentage points; empty for a new segment. */
    public Optional<Double> shareChange() {
      return previousShare.map(before -> 100 * (share - before));
    }
  }

  /**
   * From the run's counts, the previous run, if there is one, and how many members of each of its segments
   * the run kept there.
   */
  static Refresh of(RunReport report, Optional<PublishedRun> previous, Map<Integer, Long> stayed,
      Optional<String> start) {
    Map<Integer, Long> before = new TreeMap<>();
    previous.ifPresent(p -> p.segments().forEach(s -> before.put(Math.toIntExact(s.id()), s.size())));
    // Shares are of the members (a tree's segments overlap: their sizes add up to more).
    long beforeTotal = previous.map(p -> p.report().path("members").asLong(
        before.values().stream().mapToLong(Long::longValue).sum())).orElse(0L);
    long total = report.members();
    List<Integer> kept = new ArrayList<>();
    List<Integer> added = new ArrayList<>();
    List<SegmentDrift> drift = new ArrayList<>();
    TreeSet<Integer> now = new TreeSet<>();
    report.segmentSizes().forEach((segment, size) -> {
      int id = segment.id();
      now.add(id);
      (before.containsKey(id) ? kept : added).add(id);
      Optional<Long> was = Optional.ofNullable(before.get(id));
      drift.add(new SegmentDrift(id, segment.label(), size, total == 0 ? 0 : (double) size / total, was,
          was.map(b -> (double) b / beforeTotal), was.map(b -> (double) stayed.getOrDefault(id, 0L) / b),
          Optional.ofNullable(report.centroidShifts().get(segment))));
    });
    List<Integer> vanished = before.keySet().stream().filter(id -> !now.contains(id)).toList();
    return new Refresh(previous.map(PublishedRun::runId), kept, added, vanished, drift, report.featureStability(),
        start);
  }

  /** The kept segments whose centroid moved further than {@code limit}, as sentences. */
  public List<String> shiftedFurtherThan(double limit) {
    return drift.stream().filter(d -> d.centroidShift().filter(s -> s > limit).isPresent())
        .map(d -> String.format(Locale.ROOT, "segment %d '%s' moved %.3f", d.id(), d.label(), d.centroidShift().get()))
        .toList();
  }

  /** The features whose stability index is above {@code limit}, as sentences. */
  public List<String> featuresDriftedAbove(double limit) {
    return featureStability.entrySet().stream().filter(e -> e.getValue() > limit)
        .map(e -> String.format(Locale.ROOT, "feature %s has a stability index of %.3f", e.getKey(), e.getValue()))
        .toList();
  }

  /** As run.json holds it. */
  Map<String, Object> toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("previous_run_id", previousRunId.orElse(null));
    json.put("kept_segments", kept);
    json.put("new_segments", added);
    json.put("vanished_segments", vanished);
    List<Map<String, Object>> segments = new ArrayList<>();
    for (SegmentDrift d : drift) {
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("segment_id", d.id());
      s.put("segment_label", d.label());
      s.put("size", d.size());
      s.put("previous_size", d.previousSize().orElse(null));
      s.put("share", d.share());
      s.put("previous_share", d.previousShare().orElse(null));
      s.put("share_change_points", d.shareChange().orElse(null));
      s.put("stayed_share", d.stayedShare().orElse(null));
      s.put("centroid_shift", d.centroidShift().orElse(null));
      segments.add(s);
    }
    json.put("segments", segments);
    json.put("feature_stability_index", featureStability);
    json.put("start", start.orElse(null));
    return json;
  }

  /**
   * For people: "segments kept from run X: 0, 1, 2; new: 5; vanished: 3", then a line per kept segment with
   * its size, share and centroid before and now.
   */
  public String describe() {
    String started = start.map(s -> s + "\n").orElse("");
    if (previousRunId.isEmpty()) {
      return started + "first published run of this definition: segments " + ids(added);
    }
    StringBuilder out = new StringBuilder(started + "segments kept from run " + previousRunId.get() + ": "
        + (kept.isEmpty() ? "none" : ids(kept)) + "; new: " + (added.isEmpty() ? "none" : ids(added))
        + "; vanished: " + (vanished.isEmpty() ? "none" : ids(vanished)));
    for (SegmentDrift d : drift) {
      if (d.previousSize().isPresent()) {
        out.append(String.format(Locale.ROOT,
            "%n  %2d %-28s %,7d -> %,7d members (%.1f%% -> %.1f%%, %+.1f pts), %.1f%% stayed",
            d.id(), d.label().length() > 28 ? d.label().substring(0, 25) + "..." : d.label(), d.previousSize().get(),
            d.size(), 100 * d.previousShare().get(), 100 * d.share(), d.shareChange().get(),
            100 * d.stayedShare().get()));
        d.centroidShift().ifPresent(s -> out.append(String.format(Locale.ROOT, ", centroid moved %.2f", s)));
      }
    }
    if (!featureStability.isEmpty()) {
      out.append(String.format(Locale.ROOT, "%nfeature drift (population stability index, from %.1f worth a look): ",
          STABLE_BELOW)).append(featureStability.entrySet().stream()
              .map(e -> String.format(Locale.ROOT, "%s %.3f", e.getKey(), e.getValue()))
              .collect(Collectors.joining(", ")));
    }
    return out.toString();
  }

  private static String ids(List<Integer> ids) {
    return ids.stream().map(String::valueOf).collect(Collectors.joining(", "));
  }
}
