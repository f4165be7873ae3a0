package io.segflow.transforms.values;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;

/**
 * Some of a row's fields, by position, each under the name the output schema gives it: a projection that
 * computes nothing, made without evaluating an expression per value. Every output field must have the type
 * of the input field it takes, nullability included, so the values are carried as they are.
 *
 * <pre>{@code
 * // SELECT customer_id, f1 AS recency_days FROM blobs
 * PCollection<Row> out = blobs.apply(SelectFields.of(new int[] {0, 1}, renamedSchema));
 * }</pre>
 */
public final class SelectFields extends PTransform<PCollection<Row>, PCollection<Row>> {
  private final int[] positions;
  private final Schema output;

  private SelectFields(int[] positions, Schema output) {
    this.positions = positions;
    this.output = output;
  }

  /** Output field i is input field {@code positions[i]}, named and typed as {@code output} says. */
  public static SelectFields of(int[] positions, Schema output) {
    if (positions.length != output.getFieldCount()) {
      throw new IllegalArgumentException("Invalid SelectFields: " + positions.length + " positions for "
          + output.getFieldCount() + " output fields");
    }
    return new SelectFields(positions.clone(), output);
  }

  @Override
  public PCollection<Row> expand(PCollection<Row> input) {
    Schema schema = input.getSchema();
    for (int i = 0; i < positions.length; i++) {
      Schema.Field out = output.getField(i);
      if (positions[i] < 0 || positions[i] >= schema.getFieldCount()) {
        throw new IllegalArgumentException("Invalid SelectFields: field '" + out.getName() + "' takes position "
            + positions[i] + " of an input with " + schema.getFieldCount() + " fields");
      }
      Schema.FieldType in = schema.getField(positions[i]).getType();
      if (!in.equals(out.getType())) {
        throw new IllegalArgumentException("Invalid SelectFields: field '" + out.getName() + "' is " + out.getType()
            + " but takes input field '" + schema.getField(positions[i]).getName() + "' of type " + in);
      }
    }
    return input.apply("Select", ParDo.of(new SelectFn(positions, output))).setRowSchema(output);
  }

  @Override
  public String toString() {
    return "SelectFields" + Arrays.toString(positions) + " as " + output.getFieldNames();
  }

  private static final class SelectFn extends DoFn<Row, Row> {
    private final int[] positions;
    private final Schema output;

    SelectFn(int[] positions, Schema output) {
      this.positions = positions;
      this.output = output;
    }

    @ProcessElement
    public void process(@Element Row row, OutputReceiver<Row> out) {
      List<Object> values = new ArrayList<>(positions.length);
      for (int position : positions) {
        values.add(row.getValue(position));
      }
      // attachValues: each value is of its field's type (checked when the step was built).
      out.output(Row.withSchema(output).attachValues(values));
    }
  }
}
