package io.segflow.transforms.metrics;

import java.io.Serializable;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;

/**
 * A Beam counter whose increments are summed in the DoFn and added at {@link #flush} (end of a chunk or a
 * bundle): a counter's update looks its cell up through the thread's metrics container, which per row cost
 * more than the row on the DirectRunner. A flush of nothing adds nothing, so a count that never happened
 * reports no counter, as a plain counter would. One per DoFn instance; not thread-safe, as DoFns need not be.
 */
public final class DeferredCounter implements Serializable {
  private static final long serialVersionUID = 1L;

  private final Counter counter;
  private transient long pending;

  private DeferredCounter(Counter counter) {
    this.counter = counter;
  }

  public static DeferredCounter of(String namespace, String name) {
    return new DeferredCounter(Metrics.counter(namespace, name));
  }

  public void inc() {
    pending++;
  }

  /** Adds what was counted since the last flush, and returns it. */
  public long flush() {
    long added = pending;
    if (added > 0) {
      counter.inc(added);
      pending = 0;
    }
    return added;
  }
}
