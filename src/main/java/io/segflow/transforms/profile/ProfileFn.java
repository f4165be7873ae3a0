package io.segflow.transforms.profile;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import io.segflow.transforms.aggregate.ExactDoubleSumFn;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.transforms.Combine.CombineFn;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;
import org.apache.commons.math3.util.KthSelector;
import org.apache.commons.math3.util.MedianOf3PivotingStrategy;

/**
 * A segment's profile row ({@link SegmentProfiles#schema}) from its members: the accumulator keeps the
 * size and, per feature, the count, exact sum, minimum, maximum and values of the non-null values. Every
 * statistic is independent of the order of the rows, so a profile has the same bits on every runner.
 */
final class ProfileFn extends CombineFn<Row, ProfileFn.Profile, Row> {
  private final int segment;
  private final int[] features;
  private final Schema output;
  private final long extremesFrom;

  /** @param extremesFrom the smallest segment whose median, minimum and maximum are given; NULL below */
  ProfileFn(int segment, int[] features, Schema output, long extremesFrom) {
    this.segment = segment;
    this.features = features.clone();
    this.output = output;
    this.extremesFrom = extremesFrom;
  }

  /** Mutable while combining, as Beam's accumulators are. */
  static final class Profile {
    int segment;
    long size;
    final long[] count;
    final ExactDoubleSumFn.Sum[] sum;
    final double[] min;
    final double[] max;
    final double[][] values;

    Profile(int features) {
      count = new long[features];
      sum = new ExactDoubleSumFn.Sum[features];
      min = new double[features];
      max = new double[features];
      values = new double[features][];
      Arrays.fill(min, Double.POSITIVE_INFINITY);
      Arrays.fill(max, Double.NEGATIVE_INFINITY);
      for (int f = 0; f < features; f++) {
        values[f] = new double[16];
        sum[f] = new ExactDoubleSumFn.Sum();
      }
    }

    void add(int f, double x) {
      if (count[f] == values[f].length) {
        values[f] = Arrays.copyOf(values[f], values[f].length * 2);
      }
      values[f][(int) count[f]] = x;
      count[f]++;
      sum[f].add(x);
      min[f] = Math.min(min[f], x);
      max[f] = Math.max(max[f], x);
    }

    void merge(Profile other) {
      if (size == 0) {
        segment = other.segment;
      }
      size += other.size;
      for (int f = 0; f < count.length; f++) {
        int n = (int) count[f];
        int m = (int) other.count[f];
        if (n + m > values[f].length) {
          values[f] = Arrays.copyOf(values[f], Math.max(n + m, values[f].length * 2));
        }
        System.arraycopy(other.values[f], 0, values[f], n, m);
        count[f] += m;
        sum[f].addAll(other.sum[f]);
        min[f] = Math.min(min[f], other.min[f]);
        max[f] = Math.max(max[f], other.max[f]);
      }
    }

    /** Counts a row and keeps its features' values (at {@code fields}); NULL and NaN are no value. */
    void addRow(Row row, int[] fields) {
      size++;
      for (int f = 0; f < fields.length; f++) {
        Object x = row.getValue(fields[f]);
        double v = x == null ? Double.NaN : ((Number) x).doubleValue();
        if (!Double.isNaN(v)) {
          add(f, v);
        }
      }
    }

    /** Feature f's values, exactly as many as it has: the growing buffer is trimmed once, in place. */
    double[] values(int f) {
      int n = (int) count[f];
      return n == values[f].length ? values[f] : (values[f] = Arrays.copyOf(values[f], n));
    }

    /**
     * The median of feature f's values, interpolated between the two middle ones, which are found by
     * selection (Commons Math's KthSelector) in linear time: a sort of each segment's values took about a
     * second of a 1M-customer run's last step. Reorders the values. -0.0 reads as 0.0, since selection
     * treats them as one value and no order of the rows may change the result.
     */
    double median(int f) {
      int n = (int) count[f];
      double[] v = values(f);
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
    return new Profile(features.length);
  }

  @Override
  public Profile addInput(Profile p, Row row) {
    p.segment = row.getInt32(segment);
    p.addRow(row, features);
    return p;
  }

  @Override
  public Profile mergeAccumulators(Iterable<Profile> all) {
    Profile merged = createAccumulator();
    all.forEach(merged::merge);
    return merged;
  }

  @Override
  public Row extractOutput(Profile p) {
    Object[] values = new Object[output.getFieldCount()];
    values[0] = p.segment;
    values[1] = p.size;
    boolean extremes = p.size >= extremesFrom;
    for (int f = 0; f < p.count.length; f++) {
      boolean any = p.count[f] > 0;
      values[2 + 4 * f] = any ? p.sum[f].value() / p.count[f] : null;
      values[3 + 4 * f] = any && extremes ? p.median(f) : null;
      values[4 + 4 * f] = any && extremes ? p.min[f] : null;
      values[5 + 4 * f] = any && extremes ? p.max[f] : null;
    }
    return Row.withSchema(output).attachValues(values);
  }

  @Override
  public Coder<Profile> getAccumulatorCoder(CoderRegistry registry, Coder<Row> inputCoder) {
    return new ProfileCoder();
  }

  /** Counts, sums, extremes and each feature's values as raw doubles. */
  static final class ProfileCoder extends CustomCoder<Profile> {
    @Override
    public void encode(Profile p, OutputStream out) throws IOException {
      DataOutputStream data = new DataOutputStream(out);
      data.writeInt(p.segment);
      data.writeLong(p.size);
      data.writeInt(p.count.length);
      for (int f = 0; f < p.count.length; f++) {
        data.writeLong(p.count[f]);
        ExactDoubleSumFn.SumCoder.of().encode(p.sum[f], data);
        data.writeDouble(p.min[f]);
        data.writeDouble(p.max[f]);
        ByteBuffer bytes = ByteBuffer.allocate(8 * (int) p.count[f]);
        bytes.asDoubleBuffer().put(p.values[f], 0, (int) p.count[f]);
        data.write(bytes.array());
      }
      data.flush();
    }

    @Override
    public Profile decode(InputStream in) throws IOException {
      DataInputStream data = new DataInputStream(in);
      int segment = data.readInt();
      long size = data.readLong();
      Profile p = new Profile(data.readInt());
      p.segment = segment;
      p.size = size;
      for (int f = 0; f < p.count.length; f++) {
        p.count[f] = data.readLong();
        p.sum[f] = ExactDoubleSumFn.SumCoder.of().decode(data);
        p.min[f] = data.readDouble();
        p.max[f] = data.readDouble();
        int n = (int) p.count[f];
        byte[] bytes = new byte[8 * n];
        data.readFully(bytes);
        p.values[f] = new double[Math.max(16, n)];
        ByteBuffer.wrap(bytes).asDoubleBuffer().get(p.values[f], 0, n);
      }
      return p;
    }
  }
}
