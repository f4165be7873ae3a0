package io.segflow.transforms.io;

import java.io.Serializable;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;

/**
 * A source's counts, as Beam counters in the namespace {@code segflow.source.<name>}: {@code read},
 * {@code rows} (used) and {@code rejected}, with read = rows + rejected. Every reader counts through this,
 * so a run's report finds every source's accounting under one name.
 */
public final class SourceCounters implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The namespace prefix; the source's name follows it. */
  public static final String NAMESPACE = "segflow.source.";

  final Counter read;
  final Counter rows;
  final Counter rejected;

  SourceCounters(String source) {
    this.read = Metrics.counter(NAMESPACE + source, "read");
    this.rows = Metrics.counter(NAMESPACE + source, "rows");
    this.rejected = Metrics.counter(NAMESPACE + source, "rejected");
  }
}
