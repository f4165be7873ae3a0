package io.segflow.transforms.aggregate;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.CannotProvideCoderException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.RowCoder;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.Combine.CombineFn;
import org.apache.beam.sdk.values.Row;

/**
 * Several aggregations of the same rows as one {@link CombineFn}: each takes the value of one input field,
 * or a row of several (an empty row for none, as {@code COUNT(*)}), and gives one field of the output row.
 */
public final class RowAggregates extends CombineFn<Row, Object[], Row> {
  /** One aggregation: the input fields it reads, its function, and the output field it makes. */
  public record Aggregation(List<Integer> inputs, CombineFn<?, ?, ?> fn, Schema.Field output) implements Serializable {
    public Aggregation {
      inputs = List.copyOf(inputs);
    }
  }

  private final Schema inputSchema;
  private final List<Aggregation> aggregations;
  private final Schema outputSchema;
  // The schema of the row handed to an aggregation reading several fields (null when it reads one).
  private final Schema[] argumentSchemas;

  private RowAggregates(Schema inputSchema, List<Aggregation> aggregations) {
    this.inputSchema = inputSchema;
    this.aggregations = List.copyOf(aggregations);
    Schema.Builder output = Schema.builder();
    argumentSchemas = new Schema[aggregations.size()];
    for (int i = 0; i < aggregations.size(); i++) {
      Aggregation a = aggregations.get(i);
      output.addField(a.output());
      if (a.inputs().size() != 1) {
        Schema.Builder args = Schema.builder();
        a.inputs().forEach(f -> args.addField(inputSchema.getField(f)));
        argumentSchemas[i] = args.build();
      }
    }
    outputSchema = output.build();
  }

  public static RowAggregates of(Schema inputSchema, List<Aggregation> aggregations) {
    for (Aggregation a : aggregations) {
      for (int field : a.inputs()) {
        if (field < 0 || field >= inputSchema.getFieldCount()) {
          throw new IllegalArgumentException("Invalid RowAggregates: aggregation " + a.output().getName()
              + " reads field " + field + ", but the input has fields 0.." + (inputSchema.getFieldCount() - 1));
        }
      }
    }
    return new RowAggregates(inputSchema, aggregations);
  }

  /** One field per aggregation, in order. */
  public Schema outputSchema() {
    return outputSchema;
  }

  @SuppressWarnings("unchecked")
  private static CombineFn<Object, Object, Object> fn(Aggregation a) {
    return (CombineFn<Object, Object, Object>) a.fn();
  }

  private Object argument(int i, Row row) {
    List<Integer> inputs = aggregations.get(i).inputs();
    if (argumentSchemas[i] == null) {
      return row.getValue(inputs.get(0));
    }
    Object[] values = new Object[inputs.size()];
    for (int j = 0; j < values.length; j++) {
      values[j] = row.getValue(inputs.get(j));
    }
    return Row.withSchema(argumentSchemas[i]).attachValues(values);
  }

  @Override
  public Object[] createAccumulator() {
    Object[] accumulators = new Object[aggregations.size()];
    for (int i = 0; i < accumulators.length; i++) {
      accumulators[i] = fn(aggregations.get(i)).createAccumulator();
    }
    return accumulators;
  }

  @Override
  public Object[] addInput(Object[] accumulators, Row row) {
    for (int i = 0; i < accumulators.length; i++) {
      accumulators[i] = fn(aggregations.get(i)).addInput(accumulators[i], argument(i, row));
    }
    return accumulators;
  }

  @Override
  public Object[] mergeAccumulators(Iterable<Object[]> all) {
    Object[] merged = new Object[aggregations.size()];
    for (int i = 0; i < merged.length; i++) {
      List<Object> slot = new ArrayList<>();
      for (Object[] accumulators : all) {
        slot.add(accumulators[i]);
      }
      merged[i] = fn(aggregations.get(i)).mergeAccumulators(slot);
    }
    return merged;
  }

  @Override
  public Row extractOutput(Object[] accumulators) {
    Object[] values = new Object[accumulators.length];
    for (int i = 0; i < values.length; i++) {
      values[i] = fn(aggregations.get(i)).extractOutput(accumulators[i]);
    }
    return Row.withSchema(outputSchema).attachValues(values);
  }

  @Override
  public Coder<Object[]> getAccumulatorCoder(CoderRegistry registry, Coder<Row> inputCoder)
      throws CannotProvideCoderException {
    List<Coder<Object>> coders = new ArrayList<>();
    for (int i = 0; i < aggregations.size(); i++) {
      Coder<Object> argumentCoder = argumentSchemas[i] == null
          ? new FieldValueCoder(inputSchema.getField(aggregations.get(i).inputs().get(0)).getType())
          : castRowCoder(RowCoder.of(argumentSchemas[i]));
      coders.add(NullableCoder.of(fn(aggregations.get(i)).getAccumulatorCoder(registry, argumentCoder)));
    }
    return new AccumulatorsCoder(coders);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Coder<Object> castRowCoder(Coder<Row> coder) {
    return (Coder) coder;
  }

  /** The accumulators of all aggregations, each with its own coder. */
  static final class AccumulatorsCoder extends CustomCoder<Object[]> {
    private final List<Coder<Object>> coders;

    AccumulatorsCoder(List<Coder<Object>> coders) {
      this.coders = List.copyOf(coders);
    }

    @Override
    public void encode(Object[] value, OutputStream out) throws IOException {
      for (int i = 0; i < coders.size(); i++) {
        coders.get(i).encode(value[i], out);
      }
    }

    @Override
    public Object[] decode(InputStream in) throws IOException {
      Object[] value = new Object[coders.size()];
      for (int i = 0; i < value.length; i++) {
        value[i] = coders.get(i).decode(in);
      }
      return value;
    }

    @Override
    public void verifyDeterministic() throws NonDeterministicException {
      for (Coder<Object> coder : coders) {
        coder.verifyDeterministic();
      }
    }
  }

  /** The value of one schema field (nulls included), encoded as Beam encodes that field in a row. */
  static final class FieldValueCoder extends CustomCoder<Object> {
    private final Schema schema;
    private final RowCoder rowCoder;

    FieldValueCoder(Schema.FieldType type) {
      schema = Schema.builder().addField("value", type.withNullable(true)).build();
      rowCoder = RowCoder.of(schema);
    }

    @Override
    public void encode(Object value, OutputStream out) throws IOException {
      rowCoder.encode(Row.withSchema(schema).attachValues(value), out);
    }

    @Override
    public Object decode(InputStream in) throws IOException {
      return rowCoder.decode(in).getValue(0);
    }
  }
}
