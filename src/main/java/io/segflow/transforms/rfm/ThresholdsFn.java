package io.segflow.transforms.rfm;

import io.segflow.transforms.coders.UserTypeSerializableCoder;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.transforms.Combine.CombineFn;
import org.apache.beam.sdk.values.Row;

/**
 * Keeps every value of each measure (8 bytes each, as the segment profiles' medians do) and sorts them once,
 * so the bounds are exact and the same whatever the runner, the bundles or the order of the rows.
 */
final class ThresholdsFn extends CombineFn<Row, ThresholdsFn.Values, RfmThresholds> {
  private final int[] fields;
  private final int bins;

  ThresholdsFn(int[] fields, int bins) {
    this.fields = fields.clone();
    this.bins = bins;
  }

  /** Each measure's values as ranked (recency negated), in arrival order; the rows have a value of each. */
  static final class Values {
    int n;
    double[][] values;

    Values(int measures, int capacity) {
      values = new double[measures][Math.max(16, capacity)];
    }

    void add(Row row, int[] fields) {
      grow(n + 1);
      for (int m = 0; m < fields.length; m++) {
        values[m][n] = RfmThresholds.ranked(m, ((Number) row.getValue(fields[m])).doubleValue());
      }
      n++;
    }

    void addAll(Values other) {
      grow(n + other.n);
      for (int m = 0; m < values.length; m++) {
        System.arraycopy(other.values[m], 0, values[m], n, other.n);
      }
      n += other.n;
    }

    private void grow(int needed) {
      if (needed > values[0].length) {
        int size = Math.max(needed, 2 * values[0].length);
        for (int m = 0; m < values.length; m++) {
          values[m] = Arrays.copyOf(values[m], size);
        }
      }
    }
  }

  @Override
  public Values createAccumulator() {
    return new Values(fields.length, 16);
  }

  @Override
  public Values addInput(Values values, Row row) {
    values.add(row, fields);
    return values;
  }

  @Override
  public Values mergeAccumulators(Iterable<Values> all) {
    Values merged = createAccumulator();
    all.forEach(merged::addAll);
    return merged;
  }

  @Override
  public RfmThresholds extractOutput(Values v) {
    double[][] bounds = new double[fields.length][];
    for (int m = 0; m < fields.length; m++) {
      double[] sorted = Arrays.copyOf(v.values[m], v.n);
      Arrays.sort(sorted);
      bounds[m] = v.n == 0 ? new double[0] : RfmThresholds.boundsOf(sorted, v.n, bins);
    }
    return new RfmThresholds(bins, v.n, bounds);
  }

  @Override
  public Coder<Values> getAccumulatorCoder(CoderRegistry registry, Coder<Row> inputCoder) {
    return new ValuesCoder();
  }

  // A plain SerializableCoder resolves the class with the runner's class loader, which on a Flink session
  // cluster does not see the job's classes.
  @Override
  public Coder<RfmThresholds> getDefaultOutputCoder(CoderRegistry registry, Coder<Row> inputCoder) {
    return UserTypeSerializableCoder.of(RfmThresholds.class);
  }

  /** The values as their count, then each measure's doubles. */
  static final class ValuesCoder extends CustomCoder<Values> {
    @Override
    public void encode(Values v, OutputStream out) throws IOException {
      DataOutputStream data = new DataOutputStream(out);
      data.writeInt(v.values.length);
      data.writeInt(v.n);
      ByteBuffer bytes = ByteBuffer.allocate(8 * v.n);
      for (double[] measure : v.values) {
        bytes.clear();
        bytes.asDoubleBuffer().put(measure, 0, v.n);
        data.write(bytes.array(), 0, 8 * v.n);
      }
      data.flush();
    }

    @Override
    public Values decode(InputStream in) throws IOException {
      DataInputStream data = new DataInputStream(in);
      int measures = data.readInt();
      int n = data.readInt();
      Values v = new Values(measures, n);
      byte[] bytes = new byte[8 * n];
      for (int m = 0; m < measures; m++) {
        data.readFully(bytes);
        ByteBuffer.wrap(bytes).asDoubleBuffer().get(v.values[m], 0, n);
      }
      v.n = n;
      return v;
    }
  }
}
