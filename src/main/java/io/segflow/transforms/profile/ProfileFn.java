package io.segflow.transforms.profile;

import io.segflow.transforms.aggregate.ExactDoubleSumFn;
import io.segflow.transforms.sampling.ValueSample;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.Combine.CombineFn;
import org.apache.beam.sdk.values.Row;
import org.apache.commons.math3.util.KthSelector;
import org.apache.commons.math3.util.MedianOf3PivotingStrategy;

/**
 * A segment's summary ({@link SegmentSummary}) from its members: the accumulator keeps the size and, per
 * feature, the count, exact sum, minimum and maximum of the non-null values, and the values of a bounded
 * seeded sample of the members for the median ({@link ValueSample}: all of them up to its capacity). Every
 * statistic is independent of the order of the rows, so a profile has the same bits on every runner.
 */
final class ProfileFn extends CombineFn<Row, ProfileFn.Profile, SegmentSummary> {
  private final int segment;
  private final int key;
  private final int[] features;
  private final int sampleCapacity;

  /**
   * @param key the field whose value names the member, hashed to sample members
   * @param sampleCapacity the most members whose values the median is read from
   */
  ProfileFn(int segment, int key, int[] features, int sampleCapacity) {
    this.segment = segment;
    this.key = key;
    this.features = features.clone();
    this.sampleCapacity = sampleCapacity;
  }

  /** Mutable while combining, as Beam's accumulators are. */
  static final class Profile {
    int segment;
    long size;
    final long[] count;
    final ExactDoubleSumFn.Sum[] sum;
    final double[] min;
    final double[] max;
    final ValueSample sample;

    Profile(int features, int sampleCapacity) {
      this(features, new ValueSample(features, sampleCapacity));
    }

    Profile(int features, ValueSample sample) {
      count = new long[features];
      sum = new ExactDoubleSumFn.Sum[features];
      min = new double[features];
      max = new double[features];
      this.sample = sample;
      Arrays.fill(min, Double.POSITIVE_INFINITY);
      Arrays.fill(max, Double.NEGATIVE_INFINITY);
      for (int f = 0; f < features; f++) {
        sum[f] = new ExactDoubleSumFn.Sum();
      }
    }

    void merge(Profile other) {
      if (size == 0) {
        segment = other.segment;
      }
      size += other.size;
      sample.merge(other.sample);
      for (int f = 0; f < count.length; f++) {
        count[f] += other.count[f];
        sum[f].addAll(other.sum[f]);
        min[f] = Math.min(min[f], other.min[f]);
        max[f] = Math.max(max[f], other.max[f]);
      }
    }

    /**
     * Counts a row, adds its features' values (at {@code fields}) to the statistics and its member (the
     * value at {@code key}) to the sample; NULL and NaN are no value.
     */
    void addRow(Row input, int key, int[] fields) {
      size++;
      double[] row = sample.addRow(input, key, fields);
      for (int f = 0; f < fields.length; f++) {
        double v = row[f];
        if (!Double.isNaN(v)) {
          count[f]++;
          sum[f].add(v);
          min[f] = Math.min(min[f], v);
          max[f] = Math.max(max[f], v);
        }
      }
    }

    /**
     * The median of feature f's sampled values (all of them up to the sample's capacity), interpolated
     * between the two middle ones, which are found by selection (Commons Math's KthSelector) in linear time:
     * a sort of each segment's values took about a second of a 1M-customer run's last step. -0.0 reads as
     * 0.0, since selection treats them as one value and no order of the rows may change the result.
     */
    double median(int f) {
      double[] v = sample.presentValues(f);
      int n = v.length;
      if (n == 0) { // values, but none among the sampled members
        return Double.NaN;
      }
      double rank = 0.5 * (n - 1);
      int below = (int) Math.floor(rank);
      double low = new KthSelector(new MedianOf3PivotingStrategy()).select(v, null, below) + 0.0;
      if (below == (int) Math.ceil(rank)) {
        return low;
      }
      double high = Double.POSITIVE_INFINITY; // the next order statistic: the least value after the selected one
      for (int i = below + 1; i < n; i++) {
        high = Math.min(high, v[i]);
      }
      return low + (rank - below) * (high + 0.0 - low);
    }
  }

  @Override
  public Profile createAccumulator() {
    return new Profile(features.length, sampleCapacity);
  }

  @Override
  public Profile addInput(Profile p, Row row) {
    p.segment = row.getInt32(segment);
    p.addRow(row, key, features);
    return p;
  }

  @Override
  public Profile mergeAccumulators(Iterable<Profile> all) {
    Profile merged = createAccumulator();
    all.forEach(merged::merge);
    return merged;
  }

  /** The same summaries from partial profiles ({@link PartialProfilesFn}'s), merged as accumulators are. */
  CombineFn<Profile, Profile, SegmentSummary> merging() {
    return new MergingFn(this);
  }

  private static final class MergingFn extends CombineFn<Profile, Profile, SegmentSummary> {
    private final ProfileFn fn;

    MergingFn(ProfileFn fn) {
      this.fn = fn;
    }

    @Override
    public Profile createAccumulator() {
      return fn.createAccumulator();
    }

    @Override
    public Profile addInput(Profile merged, Profile partial) {
      merged.merge(partial);
      return merged;
    }

    @Override
    public Profile mergeAccumulators(Iterable<Profile> all) {
      return fn.mergeAccumulators(all);
    }

    @Override
    public SegmentSummary extractOutput(Profile p) {
      return fn.extractOutput(p);
    }

    @Override
    public Coder<Profile> getAccumulatorCoder(CoderRegistry registry, Coder<Profile> inputCoder) {
      return new ProfileCoder();
    }

    @Override
    public Coder<SegmentSummary> getDefaultOutputCoder(CoderRegistry registry, Coder<Profile> inputCoder) {
      return SegmentSummary.coder();
    }
  }

  @Override
  public SegmentSummary extractOutput(Profile p) {
    p.sample.compact(); // a summary is read, never changed: reading a sample above its capacity would thin it
    return new SegmentSummary(p);
  }

  /**
   * The profile row ({@link SegmentProfiles#schema}) of a segment's accumulator; below {@code extremesFrom}
   * members, NULL for median, minimum and maximum.
   */
  static Row rowOf(Profile p, Schema output, long extremesFrom) {
    Object[] values = new Object[output.getFieldCount()];
    values[0] = p.segment;
    values[1] = p.size;
    boolean extremes = p.size >= extremesFrom;
    for (int f = 0; f < p.count.length; f++) {
      boolean any = p.count[f] > 0;
      values[2 + 4 * f] = any ? p.sum[f].value() / p.count[f] : null;
      double median = any && extremes ? p.median(f) : Double.NaN;
      values[3 + 4 * f] = Double.isNaN(median) ? null : median;
      values[4 + 4 * f] = any && extremes ? p.min[f] : null;
      values[5 + 4 * f] = any && extremes ? p.max[f] : null;
    }
    return Row.withSchema(output).attachValues(values);
  }

  @Override
  public Coder<Profile> getAccumulatorCoder(CoderRegistry registry, Coder<Row> inputCoder) {
    return new ProfileCoder();
  }

  @Override
  public Coder<SegmentSummary> getDefaultOutputCoder(CoderRegistry registry, Coder<Row> inputCoder) {
    return SegmentSummary.coder();
  }

  /** The sample, then the counts, sums and extremes. */
  static final class ProfileCoder extends CustomCoder<Profile> {
    @Override
    public void encode(Profile p, OutputStream out) throws IOException {
      DataOutputStream data = new DataOutputStream(out);
      data.writeInt(p.segment);
      data.writeLong(p.size);
      data.writeInt(p.count.length);
      ValueSample.SampleCoder.of().encode(p.sample, data);
      for (int f = 0; f < p.count.length; f++) {
        data.writeLong(p.count[f]);
        ExactDoubleSumFn.SumCoder.of().encode(p.sum[f], data);
        data.writeDouble(p.min[f]);
        data.writeDouble(p.max[f]);
      }
      data.flush();
    }

    @Override
    public Profile decode(InputStream in) throws IOException {
      DataInputStream data = new DataInputStream(in);
      int segment = data.readInt();
      long size = data.readLong();
      int features = data.readInt();
      Profile p = new Profile(features, ValueSample.SampleCoder.of().decode(data));
      p.segment = segment;
      p.size = size;
      for (int f = 0; f < p.count.length; f++) {
        p.count[f] = data.readLong();
        p.sum[f] = ExactDoubleSumFn.SumCoder.of().decode(data);
        p.min[f] = data.readDouble();
        p.max[f] = data.readDouble();
      }
      return p;
    }
  }
}
