package io.segflow.transforms.points;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.CoderException;

/**
 * Thousands of points in one element: keys, a dense row-major matrix of feature values (after the
 * per-feature transforms, before scaling; NaN marks a missing value to impute), weights and each
 * point's sampling hash. Passes over the data are tight loops over these arrays. When the assignments
 * carry the features' input values and a transform changed them, {@code inputs} keeps those values
 * (same layout); otherwise it is null and {@code values} are the input's values. The accessors hand out
 * the arrays themselves, not copies, for the passes' loops: read them, never write them.
 */
public final class PointBlock {
  final String[] keys;
  final double[] values;
  final double[] inputs;
  final double[] weights;
  final long[] hashes;
  final int dimensions;

  PointBlock(String[] keys, double[] values, double[] inputs, double[] weights, long[] hashes, int dimensions) {
    if (values.length != keys.length * dimensions || weights.length != keys.length || hashes.length != keys.length
        || (inputs != null && inputs.length != values.length)) {
      throw new IllegalArgumentException("inconsistent block: " + keys.length + " keys, " + values.length
          + " values, " + (inputs == null ? 0 : inputs.length) + " inputs, " + weights.length + " weights, "
          + hashes.length + " hashes, d=" + dimensions);
    }
    this.keys = keys;
    this.values = values;
    this.inputs = inputs;
    this.weights = weights;
    this.hashes = hashes;
    this.dimensions = dimensions;
  }

  public int size() {
    return keys.length;
  }

  public int dimensions() {
    return dimensions;
  }

  public String[] keys() {
    return keys;
  }

  /** Point i's entity as the input typed it (keys travel as text). */
  public Object key(int i, org.apache.beam.sdk.schemas.Schema.FieldType type) {
    return switch (type.getTypeName()) {
      case INT64 -> Long.parseLong(keys[i]);
      case INT32 -> Integer.parseInt(keys[i]);
      default -> keys[i];
    };
  }

  /** Transformed values, row-major, NaN where missing. */
  public double[] values() {
    return values;
  }

  public double[] weights() {
    return weights;
  }

  /** Each point's seeded hash, as the sample ranks points. */
  public long[] hashes() {
    return hashes;
  }

  /** Point i's feature j as the input had it (NaN where missing). */
  public double input(int i, int j) {
    return (inputs != null ? inputs : values)[i * dimensions + j];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PointBlock b && dimensions == b.dimensions && Arrays.equals(keys, b.keys)
        && Arrays.equals(values, b.values) && Arrays.equals(inputs, b.inputs) && Arrays.equals(weights, b.weights)
        && Arrays.equals(hashes, b.hashes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(keys) * 31 + Arrays.hashCode(values);
  }

  /** Accumulates points and hands out full blocks. */
  static final class Builder {
    private final int dimensions;
    private final int capacity;
    private final boolean keepsInputs;
    private String[] keys;
    private double[] values;
    private double[] inputs;
    private double[] weights;
    private long[] hashes;
    private int size;

    /** @param keepsInputs whether the blocks keep the input's values apart from the transformed ones */
    Builder(int dimensions, int capacity, boolean keepsInputs) {
      this.dimensions = dimensions;
      this.capacity = capacity;
      this.keepsInputs = keepsInputs;
      reset();
    }

    private void reset() {
      keys = new String[capacity];
      values = new double[capacity * dimensions];
      inputs = keepsInputs ? new double[capacity * dimensions] : null;
      weights = new double[capacity];
      hashes = new long[capacity];
      size = 0;
    }

    /** Adds a point and its input values (used only when the blocks keep them); true when the block is full. */
    boolean add(String key, double[] point, double[] input, double weight, long hash) {
      keys[size] = key;
      System.arraycopy(point, 0, values, size * dimensions, dimensions);
      if (keepsInputs) {
        System.arraycopy(input, 0, inputs, size * dimensions, dimensions);
      }
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
          keepsInputs ? Arrays.copyOf(inputs, size * dimensions) : null, Arrays.copyOf(weights, size),
          Arrays.copyOf(hashes, size), dimensions);
      reset();
      return block;
    }
  }

  /** A compact, deterministic coder: counts, then the arrays. */
  public static final class Coder extends AtomicCoder<PointBlock> {
    private static final long serialVersionUID = 1L;
    private static final Coder INSTANCE = new Coder();

    public static Coder of() {
      return INSTANCE;
    }

    @Override
    public void encode(PointBlock block, OutputStream outStream) throws IOException {
      // One buffer, one write: per-value calls through a runner's stream wrapper cost more than the data.
      int n = block.size();
      byte[][] keys = new byte[n][];
      int keyBytes = 0;
      for (int i = 0; i < n; i++) {
        keys[i] = block.keys[i].getBytes(StandardCharsets.UTF_8);
        keyBytes += 4 + keys[i].length;
      }
      int inputs = block.inputs == null ? 0 : block.inputs.length;
      ByteBuffer buffer = ByteBuffer.allocate(9 + keyBytes + 8 * (block.values.length + inputs + 2 * n));
      buffer.putInt(n).putInt(block.dimensions).put((byte) (block.inputs == null ? 0 : 1));
      for (byte[] key : keys) {
        buffer.putInt(key.length).put(key);
      }
      buffer.asDoubleBuffer().put(block.values).put(block.inputs == null ? new double[0] : block.inputs)
          .put(block.weights);
      buffer.position(buffer.position() + 8 * (block.values.length + inputs + n));
      buffer.asLongBuffer().put(block.hashes);
      DataOutputStream out = new DataOutputStream(outStream);
      out.writeInt(buffer.capacity());
      out.write(buffer.array());
      out.flush();
    }

    @Override
    public PointBlock decode(InputStream inStream) throws IOException {
      DataInputStream in = new DataInputStream(inStream);
      int length = in.readInt();
      if (length < 9) {
        throw new CoderException("corrupt PointBlock: " + length + " bytes");
      }
      byte[] bytes = new byte[length];
      in.readFully(bytes);
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      int n = buffer.getInt();
      int d = buffer.getInt();
      byte hasInputs = buffer.get();
      if (n < 0 || d <= 0 || hasInputs > 1 || hasInputs < 0) {
        throw new CoderException("corrupt PointBlock header: n=" + n + ", d=" + d + ", inputs=" + hasInputs);
      }
      String[] keys = new String[n];
      for (int i = 0; i < n; i++) {
        int len = buffer.getInt();
        keys[i] = new String(bytes, buffer.position(), len, StandardCharsets.UTF_8);
        buffer.position(buffer.position() + len);
      }
      double[] values = new double[n * d];
      double[] inputs = hasInputs == 1 ? new double[n * d] : null;
      double[] weights = new double[n];
      long[] hashes = new long[n];
      buffer.asDoubleBuffer().get(values).get(inputs == null ? new double[0] : inputs).get(weights);
      buffer.position(buffer.position() + 8 * (values.length + (inputs == null ? 0 : inputs.length) + n));
      buffer.asLongBuffer().get(hashes);
      return new PointBlock(keys, values, inputs, weights, hashes, d);
    }

    @Override
    public void verifyDeterministic() {}
  }
}
