package io.segflow.transforms.density;

import io.segflow.transforms.points.PerModel;
import io.segflow.transforms.points.PointBlock;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.Row;

/**
 * The assigning pass: every point to the cluster of its nearest core point within eps, else noise (-1),
 * emitting the entity, the segment, the distance to that core point and no margin, then, when the schema
 * has more fields, each feature's input value (NULL where missing).
 */
final class AssignDensityFn extends DoFn<PointBlock, Row> {
  private final PCollectionView<DensityModel> model;
  private final Schema schema;
  private transient PerModel<DensityModel, CoreAssigner> assigners;

  AssignDensityFn(PCollectionView<DensityModel> model, Schema schema) {
    this.model = model;
    this.schema = schema;
  }

  @Setup
  public void setup() {
    assigners = new PerModel<>(CoreAssigner::new);
  }

  @ProcessElement
  public void process(@Element PointBlock block, ProcessContext context) {
    CoreAssigner assigner = assigners.of(context.sideInput(model));
    Schema.FieldType entityType = schema.getField(0).getType();
    boolean withFeatures = schema.getFieldCount() > 4;
    int d = block.dimensions();
    for (int i = 0; i < block.size(); i++) {
      Object[] values = new Object[schema.getFieldCount()];
      values[0] = block.key(i, entityType);
      values[1] = assigner.assign(block.values(), i * d);
      values[2] = Double.isFinite(assigner.distance) ? assigner.distance : null;
      values[3] = null;
      for (int j = 0; withFeatures && j < d; j++) {
        double x = block.input(i, j);
        values[4 + j] = Double.isNaN(x) ? null : x;
      }
      context.output(Row.withSchema(schema).attachValues(values));
    }
  }
}
