package io.segflow.transforms.sampling;

import io.segflow.transforms.points.Hashing;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.values.Row;

/**
 * The features' values of the members whose keys have the {@code capacity} smallest seeded hashes: every
 * member's values while there are no more, a uniform sample of them after. Which members it keeps is a
 * function of the keys alone, never of the order in which they arrive or the accumulators merge, so a median
 * or decile read from it has the same bits on every runner. It holds at most twice the capacity (it thins
 * to the capacity when full), so a segment of 100M members costs what one of 200,000 does.
 *
 * <p>Mutable while combining, as Beam's accumulators are. A missing value is NaN.
 */
public final class ValueSample {
  /** Members are sampled by the hash of their key's text with this seed: a fixed one, so refreshes sample alike. */
  public static final long SEED = 0L;

  private final int features;
  private final int capacity;
  private long[] hashes = new long[16];
  private double[] values;
  private int size;
  private boolean thinned;
  /** The last row {@link #addRow} read, reused: the sample copies it. */
  private double[] row;

  public ValueSample(int features, int capacity) {
    if (capacity < 1 || 2L * capacity * Math.max(1, features) > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("a sample of " + features + " features holds from one member to "
          + (Integer.MAX_VALUE - 8) / (2 * Math.max(1, features)) + ", got capacity " + capacity);
    }
    this.features = features;
    this.capacity = capacity;
    this.values = new double[16 * features];
  }

  /**
   * Adds the member a row holds: the hash of its key (the value at {@code key}) and its values at {@code
   * fields}, NULL and NaN as no value. Returns the values as read, NaN where none, valid until the next call.
   */
  public double[] addRow(Row input, int key, int[] fields) {
    if (row == null) {
      row = new double[features];
    }
    for (int f = 0; f < fields.length; f++) {
      Object x = input.getValue(fields[f]);
      row[f] = x == null ? Double.NaN : ((Number) x).doubleValue();
    }
    add(Hashing.hash(SEED, String.valueOf((Object) input.getValue(key))), row, 0);
    return row;
  }

  /** Adds a member: its key's hash and its values, one per feature (NaN where it has none). */
  public void add(long hash, double[] values) {
    add(hash, values, 0);
  }

  /** Adds a member from {@code source[from]} on: its key's hash and one value per feature (NaN where none). */
  public void add(long hash, double[] source, int from) {
    if (size == 2 * capacity) {
      thin();
    }
    if (size == hashes.length) {
      int grown = (int) Math.min(2L * capacity, 2L * size);
      hashes = Arrays.copyOf(hashes, grown);
      values = Arrays.copyOf(values, grown * features);
    }
    hashes[size] = hash;
    System.arraycopy(source, from, values, size * features, features);
    size++;
  }

  public void merge(ValueSample other) {
    for (int i = 0; i < other.size; i++) {
      add(other.hashes[i], other.values, i * features);
    }
    thinned |= other.thinned;
  }

  /** Down to the capacity, if it holds more: after this, reading it changes nothing. */
  public void compact() {
    if (size > capacity) {
      thin();
    }
  }

  /** Whether members were left out: the values are a sample, not all of them. */
  public boolean isSample() {
    compact();
    return thinned;
  }

  public int capacity() {
    return capacity;
  }

  public int features() {
    return features;
  }

  /** Each kept member's hash and values (at {@code values[from]} to {@code values[from + features - 1]}). */
  public void forEachMember(Member member) {
    compact();
    for (int i = 0; i < size; i++) {
      member.accept(hashes[i], values, i * features);
    }
  }

  /** A kept member, read in place. */
  public interface Member {
    void accept(long hash, double[] values, int from);
  }

  /** Feature f's present values among the kept members, in no particular order; a new array. */
  public double[] presentValues(int f) {
    compact();
    double[] present = new double[size];
    int n = 0;
    for (int i = 0; i < size; i++) {
      double x = values[i * features + f];
      if (!Double.isNaN(x)) {
        present[n++] = x;
      }
    }
    return n == size ? present : Arrays.copyOf(present, n);
  }

  /**
   * Keeps the capacity members with the smallest hashes. Members of one hash (the same key twice, or two
   * keys that collide) are ordered by their values, so the kept ones never depend on arrival order.
   */
  private void thin() {
    long[] sorted = Arrays.copyOf(hashes, size);
    Arrays.sort(sorted);
    long cut = sorted[capacity - 1];
    int below = 0;
    while (below < capacity && sorted[below] < cut) {
      below++;
    }
    int atCut = capacity - below;
    Integer[] tied = java.util.stream.IntStream.range(0, size).filter(i -> hashes[i] == cut).boxed()
        .toArray(Integer[]::new);
    Arrays.sort(tied, (a, b) -> Arrays.compare(values, a * features, (a + 1) * features,
        values, b * features, (b + 1) * features));
    boolean[] keepTied = new boolean[size];
    for (int t = 0; t < atCut; t++) {
      keepTied[tied[t]] = true;
    }
    int kept = 0;
    for (int i = 0; i < size; i++) {
      if (hashes[i] < cut || (hashes[i] == cut && keepTied[i])) {
        hashes[kept] = hashes[i];
        System.arraycopy(values, i * features, values, kept * features, features);
        kept++;
      }
    }
    size = kept;
    thinned = true;
  }

  /** The kept members' hashes and values as raw longs and doubles. */
  public static final class SampleCoder extends CustomCoder<ValueSample> {
    private static final SampleCoder INSTANCE = new SampleCoder();

    public static SampleCoder of() {
      return INSTANCE;
    }

    @Override
    public void encode(ValueSample s, OutputStream out) throws IOException {
      DataOutputStream data = new DataOutputStream(out);
      data.writeInt(s.features);
      data.writeInt(s.capacity);
      data.writeInt(s.size);
      data.writeBoolean(s.thinned);
      ByteBuffer bytes = ByteBuffer.allocate(8 * s.size * (1 + s.features));
      bytes.asLongBuffer().put(s.hashes, 0, s.size);
      bytes.position(8 * s.size);
      bytes.asDoubleBuffer().put(s.values, 0, s.size * s.features);
      data.write(bytes.array());
      data.flush();
    }

    @Override
    public ValueSample decode(InputStream in) throws IOException {
      DataInputStream data = new DataInputStream(in);
      ValueSample s = new ValueSample(data.readInt(), data.readInt());
      int size = data.readInt();
      s.thinned = data.readBoolean();
      byte[] raw = new byte[8 * size * (1 + s.features)];
      data.readFully(raw);
      int room = Math.max(16, size);
      s.hashes = new long[room];
      s.values = new double[room * s.features];
      ByteBuffer bytes = ByteBuffer.wrap(raw);
      bytes.asLongBuffer().get(s.hashes, 0, size);
      bytes.position(8 * size);
      bytes.asDoubleBuffer().get(s.values, 0, size * s.features);
      s.size = size;
      return s;
    }
  }
}
