package io.segflow.transforms.rfm;

import io.segflow.transforms.batching.BundleLists;
import io.segflow.transforms.batching.LatestTimestamp;
import java.util.Arrays;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Instant;

/**
 * Counts each bound's values below, at and inside its bracket, keyed by the bound ({@link Brackets#key}): a
 * chunk of the values inside each time one fills, and every bound's counts when the bundle finishes (so
 * every bound has a partial wherever there are entities). Holds at most a chunk per bound.
 */
final class AroundFn extends DoFn<Object, KV<Integer, CutCounts>> {
  /** The most values inside a bracket a partial carries. */
  static final int CHUNK = 4096;

  private final PCollectionView<Brackets> brackets;
  private final int[] fields;
  private transient Open[] open;
  private transient LatestTimestamp latest;

  AroundFn(PCollectionView<Brackets> brackets, int[] fields) {
    this.brackets = brackets;
    this.fields = fields.clone();
  }

  /** One bound's counts and values inside so far in this bundle. */
  private static final class Open {
    long below;
    long atLow;
    long atHigh;
    double[] inside = new double[CHUNK];
    int size;

    CutCounts take() {
      CutCounts counts = new CutCounts(below, atLow, atHigh, Arrays.copyOf(inside, size));
      below = 0;
      atLow = 0;
      atHigh = 0;
      size = 0;
      return counts;
    }
  }

  @StartBundle
  public void startBundle() {
    open = null;
    latest = new LatestTimestamp();
  }

  @ProcessElement
  public void process(@Element Object rows, @Timestamp Instant timestamp, ProcessContext c) {
    Brackets b = c.sideInput(brackets);
    if (open == null) {
      open = new Open[b.measures() * b.boundsPerMeasure()];
      Arrays.setAll(open, i -> new Open());
    }
    latest.see(timestamp);
    for (Row row : BundleLists.rowsOf(rows)) {
      for (int m = 0; m < fields.length; m++) {
        double v = RfmThresholds.ranked(m, ((Number) row.getValue(fields[m])).doubleValue());
        for (int s = 0; s < b.boundsPerMeasure(); s++) {
          count(b.key(m, s), b.low()[m][s], b.high()[m][s], v, c);
        }
      }
    }
  }

  private void count(int key, double low, double high, double v, ProcessContext c) {
    Open bound = open[key];
    if (v < low) {
      bound.below++;
    } else if (v == low) {
      bound.atLow++;
    } else if (v < high) {
      bound.inside[bound.size++] = v;
      if (bound.size == CHUNK) {
        c.outputWithTimestamp(KV.of(key, bound.take()), latest.get());
      }
    } else if (v == high) {
      bound.atHigh++;
    }
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext context) {
    if (open != null) {
      for (int key = 0; key < open.length; key++) {
        context.output(KV.of(key, open[key].take()), latest.get(), GlobalWindow.INSTANCE);
      }
    }
    open = null;
  }
}
