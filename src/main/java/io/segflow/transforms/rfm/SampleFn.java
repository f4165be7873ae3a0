package io.segflow.transforms.rfm;

import io.segflow.transforms.coders.UserTypeSerializableCoder;
import io.segflow.transforms.sampling.ValueSample;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.transforms.Combine.CombineFn;
import org.apache.beam.sdk.values.Row;

/**
 * How many entities there are and a seeded sample of their measures (the entities with the smallest hashes
 * of their key, {@link ValueSample}), as the brackets of every score bound ({@link Brackets}). Holds at most
 * twice {@code capacity} entities' values, whatever the number of entities.
 */
final class SampleFn extends CombineFn<Row, SampleFn.Counted, Brackets> {
  private final int keyField;
  private final int[] fields;
  private final int bins;
  private final int capacity;

  SampleFn(int keyField, int[] fields, int bins, int capacity) {
    this.keyField = keyField;
    this.fields = fields.clone();
    this.bins = bins;
    this.capacity = capacity;
  }

  /** The entities counted and sampled so far. */
  static final class Counted {
    long entities;
    final ValueSample sample;

    Counted(long entities, ValueSample sample) {
      this.entities = entities;
      this.sample = sample;
    }
  }

  @Override
  public Counted createAccumulator() {
    return new Counted(0, new ValueSample(fields.length, capacity));
  }

  @Override
  public Counted addInput(Counted counted, Row row) {
    counted.sample.addRow(row, keyField, fields);
    counted.entities++;
    return counted;
  }

  @Override
  public Counted mergeAccumulators(Iterable<Counted> all) {
    Counted merged = createAccumulator();
    for (Counted c : all) {
      merged.sample.merge(c.sample);
      merged.entities += c.entities;
    }
    return merged;
  }

  @Override
  public Brackets extractOutput(Counted counted) {
    return Brackets.of(counted.sample, counted.entities, bins);
  }

  @Override
  public Coder<Counted> getAccumulatorCoder(CoderRegistry registry, Coder<Row> inputCoder) {
    return new CountedCoder();
  }

  // A plain SerializableCoder resolves the class with the runner's class loader, which on a Flink session
  // cluster does not see the job's classes.
  @Override
  public Coder<Brackets> getDefaultOutputCoder(CoderRegistry registry, Coder<Row> inputCoder) {
    return UserTypeSerializableCoder.of(Brackets.class);
  }

  /** The count, then the sample. */
  static final class CountedCoder extends CustomCoder<Counted> {
    @Override
    public void encode(Counted counted, OutputStream out) throws IOException {
      DataOutputStream data = new DataOutputStream(out);
      data.writeLong(counted.entities);
      data.flush();
      ValueSample.SampleCoder.of().encode(counted.sample, out);
    }

    @Override
    public Counted decode(InputStream in) throws IOException {
      long entities = new DataInputStream(in).readLong();
      return new Counted(entities, ValueSample.SampleCoder.of().decode(in));
    }
  }
}
