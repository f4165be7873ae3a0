package io.segflow.transforms.io;

import io.segflow.transforms.metrics.DeferredCounter;
import java.io.Serializable;

/**
 * A source's counts, as Beam counters in the namespace {@code segflow.source.<name>}: {@code read},
 * {@code rows} (used), {@code rejected} and {@code blank} (blank lines, which hold no record), with
 * read = rows + rejected + blank. Every reader counts through this,
 * so a run's report finds every source's accounting under one name. The counts reach Beam at
 * {@link #flush}, once per chunk or bundle ({@link DeferredCounter}).
 */
public final class SourceCounters implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The namespace prefix; the source's name follows it. */
  public static final String NAMESPACE = "segflow.source.";

  final DeferredCounter read;
  final DeferredCounter rows;
  final DeferredCounter rejected;
  final DeferredCounter blank;

  SourceCounters(String source) {
    this.read = DeferredCounter.of(NAMESPACE + source, "read");
    this.rows = DeferredCounter.of(NAMESPACE + source, "rows");
    this.rejected = DeferredCounter.of(NAMESPACE + source, "rejected");
    this.blank = DeferredCounter.of(NAMESPACE + source, "blank");
  }

  void flush() {
    read.flush();
    rows.flush();
    rejected.flush();
    blank.flush();
  }
}
