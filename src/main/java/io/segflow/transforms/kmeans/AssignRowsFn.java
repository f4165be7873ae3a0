package io.segflow.transforms.kmeans;

import io.segflow.transforms.points.PointReader;
import io.segflow.transforms.quality.EntityRejects;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Assigns each row to a stored model ({@link KMeans#assign}): read as the fit read its rows, prepared with
 * the model's preparation, nearest centroid. A row that cannot be a point goes to the rejects.
 */
final class AssignRowsFn extends DoFn<Row, Row> {
  static final TupleTag<Row> ASSIGNMENTS = new TupleTag<>("segflow.kmeans.assign.assignments") {};
  static final TupleTag<Row> REJECTS = new TupleTag<>("segflow.kmeans.assign.rejects") {};

  private final PCollectionView<KMeansModel> model;
  private final Schema schema;
  private transient KMeansModel current;
  private transient PointReader reader;
  private transient PointReader.Point point;
  private transient Assigner assigner;

  AssignRowsFn(PCollectionView<KMeansModel> model, Schema schema) {
    this.model = model;
    this.schema = schema;
  }

  @ProcessElement
  public void process(@Element Row row, ProcessContext context) {
    KMeansModel m = context.sideInput(model);
    if (m != current) { // a side input refreshed with a newer model
      reader = PointReader.of(m.entityField(), m.preparation());
      point = new PointReader.Point(reader.dimensions());
      assigner = Assigner.of(m);
      current = m;
    }
    String problem = reader.read(row, point);
    if (problem != null) {
      context.output(REJECTS, EntityRejects.of(point.entity, problem, row));
      return;
    }
    int segment = assigner.assign(point.transformed, 0);
    context.output(Row.withSchema(schema).attachValues(point.entity, segment, assigner.distance, assigner.margin));
  }
}
