package io.segflow.transforms.density;

import io.segflow.transforms.points.PointReader;
import io.segflow.transforms.quality.EntityRejects;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Assigns each row to a stored DBSCAN model ({@link Dbscan#assign}): read as the fit read its rows, prepared
 * with the model's preparation, then the cluster of the nearest core point within eps, else noise. A row
 * that cannot be a point goes to the rejects.
 */
final class AssignDensityRowsFn extends DoFn<Row, Row> {
  static final TupleTag<Row> ASSIGNMENTS = new TupleTag<>("segflow.density.assign.assignments") {};
  static final TupleTag<Row> REJECTS = new TupleTag<>("segflow.density.assign.rejects") {};

  private final PCollectionView<DensityModel> model;
  private final Schema schema;
  private transient DensityModel current;
  private transient PointReader reader;
  private transient PointReader.Point point;
  private transient CoreAssigner assigner;

  AssignDensityRowsFn(PCollectionView<DensityModel> model, Schema schema) {
    this.model = model;
    this.schema = schema;
  }

  @ProcessElement
  public void process(@Element Row row, ProcessContext context) {
    DensityModel m = context.sideInput(model);
    if (m != current) { // a side input refreshed with a newer model
      reader = PointReader.of(schema.getField(0).getName(), m.preparation());
      point = new PointReader.Point(reader.dimensions());
      assigner = new CoreAssigner(m);
      current = m;
    }
    String problem = reader.read(row, point);
    if (problem != null) {
      context.output(REJECTS, EntityRejects.of(point.entity, problem, row));
      return;
    }
    int segment = assigner.assign(point.transformed, 0);
    context.output(Row.withSchema(schema).attachValues(point.entity, segment,
        Double.isFinite(assigner.distance) ? assigner.distance : null, null));
  }
}
