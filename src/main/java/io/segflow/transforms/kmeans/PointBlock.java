package io.segflow.transforms.kmeans;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.CoderException;

/**
 * Thousands of points in one element: keys, a dense row-major matrix of feature values (after the
 * per-feature transforms, before scaling; NaN marks a missing value to impute), weights and each
 * point's sampling hash. Passes over the data are tight loops over these arrays.
 */
final class PointBlock {
  final String[] keys;
  final double[] values;
  final double[] weights;
  final long[] hashes;
  final int dimensions;

  PointBlock(String[] keys, double[] values, double[] weights, long[] hashes, int dimensions) {
    if (values.length != keys.length * dimensions || weights.length != keys.length || hashes.length != keys.length) {
      throw new IllegalArgumentException("inconsistent block: " + keys.length + " keys, " + values.length
          + " values, " + weights.length + " weights, " + hashes.length + " hashes, d=" + dimensions);
    }
    this.keys = keys;
    this.values = values;
    this.weights = weights;
    this.hashes = hashes;
    this.dimensions = dimensions;
  }

  int size() {
    return keys.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PointBlock b && dimensions == b.dimensions && Arrays.equals(keys, b.keys)
        && Arrays.equals(values, b.values) && Arrays.equals(weights, b.weights) && Arrays.equals(hashes, b.hashes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(keys) * 31 + Arrays.hashCode(values);
  }

  /** Accumulates points and hands out full blocks. */
  static final class Builder {
    private final int dimensions;
    private final int capacity;
    private String[] keys;
    private double[] values;
    private double[] weights;
    private long[] hashes;
    private int size;

    Builder(int dimensions, int capacity) {
      this.dimensions = dimensions;
      this.capacity = capacity;
      reset();
    }

    private void reset() {
      keys = new String[capacity];
      values = new double[capacity * dimensions];
      weights = new double[capacity];
      hashes = new long[capacity];
      size = 0;
    }

    /** Adds a point; returns true when the block is full. */
    boolean add(String key, double[] point, double weight, long hash) {
      keys[size] = key;
      System.arraycopy(point, 0, values, size * dimensions, dimensions);
      weights[size] = weight;
      hashes[size] = hash;
      size++;
      return size == capacity;
    }

    boolean isEmpty() {
      return size == 0;
    }

    PointBlock build() {
      PointBlock block = new PointBlock(Arrays.copyOf(keys, size), Arrays.copyOf(values, size * dimensions),
          Arrays.copyOf(weights, size), Arrays.copyOf(hashes, size), dimensions);
      reset();
      return block;
    }
  }

  /** A compact, deterministic coder: counts, then the arrays. */
  static final class Coder extends AtomicCoder<PointBlock> {
    private static final long serialVersionUID = 1L;
    private static final Coder INSTANCE = new Coder();

    static Coder of() {
      return INSTANCE;
    }

    @Override
    public void encode(PointBlock block, OutputStream outStream) throws IOException {
      DataOutputStream out = new DataOutputStream(outStream);
      out.writeInt(block.size());
      out.writeInt(block.dimensions);
      for (String key : block.keys) {
        byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
      }
      for (double v : block.values) {
        out.writeDouble(v);
      }
      for (double w : block.weights) {
        out.writeDouble(w);
      }
      for (long h : block.hashes) {
        out.writeLong(h);
      }
      out.flush();
    }

    @Override
    public PointBlock decode(InputStream inStream) throws IOException {
      DataInputStream in = new DataInputStream(inStream);
      int n = in.readInt();
      int d = in.readInt();
      if (n < 0 || d <= 0) {
        throw new CoderException("corrupt PointBlock header: n=" + n + ", d=" + d);
      }
      String[] keys = new String[n];
      for (int i = 0; i < n; i++) {
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        keys[i] = new String(bytes, StandardCharsets.UTF_8);
      }
      double[] values = new double[n * d];
      for (int i = 0; i < values.length; i++) {
        values[i] = in.readDouble();
      }
      double[] weights = new double[n];
      for (int i = 0; i < n; i++) {
        weights[i] = in.readDouble();
      }
      long[] hashes = new long[n];
      for (int i = 0; i < n; i++) {
        hashes[i] = in.readLong();
      }
      return new PointBlock(keys, values, weights, hashes, d);
    }

    @Override
    public void verifyDeterministic() {}
  }
}
