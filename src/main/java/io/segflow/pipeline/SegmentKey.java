package io.segflow.pipeline;

import java.util.Comparator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A published segment as the run's metrics name it: {@code segment 3 'recent, frequent'}. The segments'
 * step names its size and centroid-shift distributions with {@link #metricName()}; the finished run's
 * report reads them back with {@link #ofMetricName}, so the two ends share one format.
 */
record SegmentKey(int id, String label) {
  /** By id, then label: "segment 2" before "segment 10". */
  static final Comparator<SegmentKey> BY_ID = Comparator.comparingInt(SegmentKey::id).thenComparing(SegmentKey::label);

  private static final Pattern NAME = Pattern.compile("(?s)segment (-?\\d+) '(.*)'");

  String metricName() {
    return "segment " + id + " '" + label + "'";
  }

  static SegmentKey ofMetricName(String name) {
    Matcher m = NAME.matcher(name);
    if (!m.matches()) {
      throw new IllegalArgumentException("not a segment's metric name: " + name);
    }
    return new SegmentKey(Integer.parseInt(m.group(1)), m.group(2));
  }

  /** As messages name it, e.g. in "segment 3 'lapsed' has 4 members". */
  @Override
  public String toString() {
    return metricName();
  }
}
