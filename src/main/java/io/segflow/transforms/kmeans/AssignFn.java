package io.segflow.transforms.kmeans;

import io.segflow.transforms.points.PointBlock;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.Row;

/**
 * The final pass: assigns every point to its cluster of the fitted model, emitting the entity,
 * segment, distance to the centroid and margin to the second nearest, then, when the schema has more
 * fields, each feature's input value (NULL where missing). One output only: on Flink a
 * second output wraps every row in a union value and encodes it, which cost more than the pass itself.
 */
final class AssignFn extends DoFn<PointBlock, Row> {
  private final PCollectionView<KMeansModel> model;
  private final Schema schema;

  AssignFn(PCollectionView<KMeansModel> model, Schema schema) {
    this.model = model;
    this.schema = schema;
  }

  @ProcessElement
  public void process(@Element PointBlock block, ProcessContext context) {
    Assigner assigner = Assigner.of(context.sideInput(model));
    Schema.FieldType entityType = schema.getField(0).getType();
    boolean withFeatures = schema.getFieldCount() > 4;
    int d = block.dimensions();
    for (int i = 0; i < block.size(); i++) {
      Object[] values = new Object[schema.getFieldCount()];
      values[1] = assigner.assign(block.values(), i * d);
      values[0] = block.key(i, entityType);
      values[2] = assigner.distance;
      values[3] = assigner.margin;
      for (int j = 0; withFeatures && j < d; j++) {
        double x = block.input(i, j);
        values[4 + j] = Double.isNaN(x) ? null : x;
      }
      // attachValues: the values match the schema by construction, and build() would re-check every row.
      context.output(Row.withSchema(schema).attachValues(values));
    }
  }
}
