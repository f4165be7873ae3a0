package io.segflow.transforms.batching;

import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.joda.time.Instant;

/**
 * The latest timestamp of the elements a step has gathered: what it gives a value made of them, so that
 * the value is never before an element it holds (Beam refuses an output earlier than its input's timestamp).
 * Mutable, one per bundle.
 */
public final class LatestTimestamp {
  private Instant latest = BoundedWindow.TIMESTAMP_MIN_VALUE;

  /** Takes an element's timestamp into account. */
  public void see(Instant timestamp) {
    if (timestamp.isAfter(latest)) {
      latest = timestamp;
    }
  }

  /** The latest timestamp seen since the last {@link #reset}; the earliest there is if none. */
  public Instant get() {
    return latest;
  }

  /** Forgets the timestamps seen, for the next value gathered. */
  public void reset() {
    latest = BoundedWindow.TIMESTAMP_MIN_VALUE;
  }
}
