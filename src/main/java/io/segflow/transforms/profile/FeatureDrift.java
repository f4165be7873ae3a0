package io.segflow.transforms.profile;

import io.segflow.transforms.aggregate.GloballyOrDefault;
import io.segflow.transforms.coders.UserTypeSerializableCoder;
import io.segflow.transforms.sampling.ValueSample;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Combine.CombineFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.commons.math3.util.KthSelector;
import org.apache.commons.math3.util.MedianOf3PivotingStrategy;

/**
 * How each feature's distribution moved since a reference population: the population stability index
 * (PSI) of the input's values over the reference's decile bins, and the input's own decile bins, the
 * reference of the next comparison. One element. PSI = sum over bins of (actual - expected) * ln(actual /
 * expected), each share floored at 0.0001; below 0.1 is commonly read as no significant change, above
 * 0.25 as a major one (Evidently flags drift from 0.1).
 *
 * <p>Read from the segments' summaries ({@link SegmentProfiles#summaries}), not from the members again: from
 * the values of at most {@link SegmentProfiles#DEFAULT_SAMPLE_CAPACITY} members over all segments, those
 * whose keys have the smallest seeded hashes. Each segment's summary holds at least its own that many
 * smallest, so their union holds the population's: exact up to that many members, a uniform sample beyond,
 * so no heap holds every customer's values and the bins and the index do not depend on the runner or the
 * order of the rows. The summaries must not overlap (one per segment of a flat segmentation, or a tree's
 * leaves), or a member would count once per summary.
 *
 * <pre>{@code
 * PCollection<SegmentSummary> summaries = members.apply(SegmentProfiles.of(features).summaries());
 * PCollection<FeatureDrift.Result> drift = summaries.apply(FeatureDrift.of(features).comparedTo(previousBins));
 * }</pre>
 */
public final class FeatureDrift extends PTransform<PCollection<SegmentSummary>, PCollection<FeatureDrift.Result>> {
  /** A share below this counts as this much, so an empty bin does not make the index infinite. */
  static final double FLOOR = 1e-4;
  static final int BINS = 10;
  /** Pivots the deciles' selection caches (a heap ten levels deep), as Commons Math's Percentile does. */
  private static final int PIVOTS = (1 << 10) - 1;

  private final List<String> features;
  private final Map<String, Bins> reference;
  private final int sampleCapacity;

  private FeatureDrift(List<String> features, Map<String, Bins> reference, int sampleCapacity) {
    this.features = features;
    this.reference = reference;
    this.sampleCapacity = sampleCapacity;
  }

  /** @param features the summaries' features, in their order */
  public static FeatureDrift of(List<String> features) {
    if (features.isEmpty()) {
      throw new IllegalArgumentException("Invalid FeatureDrift: no features");
    }
    return new FeatureDrift(List.copyOf(features), Map.of(), SegmentProfiles.DEFAULT_SAMPLE_CAPACITY);
  }

  /**
   * The most members the bins are read from, at most each summary's sample capacity. Default {@link
   * SegmentProfiles#DEFAULT_SAMPLE_CAPACITY}.
   */
  public FeatureDrift withSampleCapacity(int members) {
    if (members < 1) {
      throw new IllegalArgumentException("Invalid FeatureDrift: a sample holds at least one member, got " + members);
    }
    return new FeatureDrift(features, reference, members);
  }

  /** The reference's bins by feature; a feature without bins gets no index. Default: none. */
  public FeatureDrift comparedTo(Map<String, Bins> bins) {
    return new FeatureDrift(features, Map.copyOf(bins), sampleCapacity);
  }

  /**
   * A feature's bins: {@code upperBounds[i]} closes bin i (values up to it, above the bound before), and a
   * last bin holds the values above every bound; {@code shares} has one more element than the bounds.
   */
  public record Bins(double[] upperBounds, double[] shares) implements Serializable {
    public Bins {
      if (shares.length != upperBounds.length + 1) {
        throw new IllegalArgumentException("bins need one share more than bounds: " + upperBounds.length
            + " bounds, " + shares.length + " shares");
      }
      upperBounds = upperBounds.clone();
      shares = shares.clone();
    }

    /** The population stability index of {@code actual} (shares over these bounds) against these shares. */
    public double stabilityIndexOf(double[] actual) {
      double psi = 0;
      for (int i = 0; i < shares.length; i++) {
        double a = Math.max(actual[i], FLOOR);
        double e = Math.max(shares[i], FLOOR);
        psi += (a - e) * Math.log(a / e);
      }
      return psi;
    }
  }

  /**
   * Each feature's own bins and, for a feature the reference has bins for, its index against them.
   * A feature without values has neither.
   */
  public record Result(Map<String, Bins> bins, Map<String, Double> stabilityIndex) implements Serializable {
    public Result {
      bins = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(bins));
      stabilityIndex = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(stabilityIndex));
    }
  }

  @Override
  public PCollection<Result> expand(PCollection<SegmentSummary> summaries) {
    return summaries.apply("Distributions", GloballyOrDefault.of(new DriftFn(features, reference, sampleCapacity)))
        .setCoder(UserTypeSerializableCoder.of(Result.class));
  }

  /**
   * The decile bounds of the values: those at positions floor(q * n / 10), q = 1..9, of their order,
   * distinct and below the largest value, so tied values share one bin. Found by selection (Commons Math's
   * KthSelector, sharing its pivots across the nine), which reorders the values: sorting 1M values of each
   * of 8 features took about 1.5 s of a 1M-customer run's last step. -0.0 reads as 0.0, since selection
   * treats them as one value and no order of the rows may change a bound.
   */
  static double[] decileBounds(double[] work) {
    int n = work.length;
    double largest = Double.NEGATIVE_INFINITY;
    for (double x : work) {
      largest = Math.max(largest, x);
    }
    KthSelector selector = new KthSelector(new MedianOf3PivotingStrategy());
    int[] pivots = new int[PIVOTS];
    Arrays.fill(pivots, -1);
    List<Double> bounds = new ArrayList<>();
    for (int q = 1; q < BINS; q++) {
      double bound = selector.select(work, pivots, (int) Math.min(n - 1, Math.floor((double) q * n / BINS))) + 0.0;
      if (bound < largest && (bounds.isEmpty() || bound > bounds.get(bounds.size() - 1))) {
        bounds.add(bound);
      }
    }
    return bounds.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** The shares of the values (in any order) in the bins the bounds close. */
  static double[] sharesIn(double[] values, double[] bounds) {
    long[] counts = new long[bounds.length + 1];
    for (double x : values) {
      counts[binOf(x, bounds)]++;
    }
    double[] shares = new double[counts.length];
    for (int b = 0; b < counts.length; b++) {
      shares[b] = (double) counts[b] / values.length;
    }
    return shares;
  }

  /** The first bin whose upper bound is at least the value; the last bin if none is. */
  private static int binOf(double value, double[] bounds) {
    int low = 0;
    int high = bounds.length;
    while (low < high) {
      int mid = (low + high) >>> 1;
      if (bounds[mid] < value) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    return low;
  }

  /** Keeps the smallest-hash members of the segments' samples and bins their values once at the end. */
  static final class DriftFn extends CombineFn<SegmentSummary, ValueSample, Result> {
    private final List<String> features;
    private final Map<String, Bins> reference;
    private final int sampleCapacity;

    DriftFn(List<String> features, Map<String, Bins> reference, int sampleCapacity) {
      this.features = List.copyOf(features);
      this.reference = new LinkedHashMap<>(reference);
      this.sampleCapacity = sampleCapacity;
    }

    @Override
    public ValueSample createAccumulator() {
      return new ValueSample(features.size(), sampleCapacity);
    }

    @Override
    public ValueSample addInput(ValueSample sample, SegmentSummary summary) {
      ValueSample members = summary.sampleFor(features.size(), sampleCapacity, "FeatureDrift");
      sample.merge(members);
      return sample;
    }

    @Override
    public ValueSample mergeAccumulators(Iterable<ValueSample> all) {
      ValueSample merged = createAccumulator();
      all.forEach(merged::merge);
      return merged;
    }

    @Override
    public Result extractOutput(ValueSample sample) {
      Map<String, Bins> bins = new LinkedHashMap<>();
      Map<String, Double> index = new LinkedHashMap<>();
      for (int f = 0; f < features.size(); f++) {
        double[] values = sample.presentValues(f);
        if (values.length == 0) {
          continue;
        }
        double[] bounds = decileBounds(values);
        bins.put(features.get(f), new Bins(bounds, sharesIn(values, bounds)));
        Bins before = reference.get(features.get(f));
        if (before != null) {
          index.put(features.get(f), before.stabilityIndexOf(sharesIn(values, before.upperBounds())));
        }
      }
      return new Result(bins, index);
    }

    @Override
    public Coder<ValueSample> getAccumulatorCoder(CoderRegistry registry, Coder<SegmentSummary> inputCoder) {
      return ValueSample.SampleCoder.of();
    }

    // Inside Combine.globally too: a plain SerializableCoder resolves the class with the runner's class
    // loader, which on a Flink session cluster does not see the job's classes.
    @Override
    public Coder<Result> getDefaultOutputCoder(CoderRegistry registry, Coder<SegmentSummary> inputCoder) {
      return UserTypeSerializableCoder.of(Result.class);
    }
  }
}
