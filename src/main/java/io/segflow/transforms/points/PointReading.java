package io.segflow.transforms.points;

import org.apache.beam.sdk.values.Row;

/**
 * How one model assigns rows, for a DoFn that assigns with a model it is handed (a side input that may be
 * refreshed): the model's reader, a scratch point and the model's assigner. Build one per model
 * ({@link PerModel}); it keeps scratch space, so it belongs to one thread.
 */
public final class PointReading {
  private final PointReader reader;
  private final PointReader.Point point;
  private final PointAssigner assigner;

  private PointReading(PointReader reader, PointAssigner assigner) {
    this.reader = reader;
    this.point = new PointReader.Point(reader.dimensions());
    this.assigner = assigner;
  }

  /** Rows read as {@code model}'s fit read its points, assigned by {@code assigner} (the model's). */
  public static PointReading of(String entityField, ClusterModel model, PointAssigner assigner) {
    return new PointReading(PointReader.of(entityField, model.preparation()), assigner);
  }

  /** Reads the row into the scratch point: why it cannot be a point, or null. */
  public String read(Row row) {
    return reader.read(row, point);
  }

  /** The entity of the row last read. */
  public Object entity() {
    return point.entity;
  }

  /** The segment of the row last read; the assigner then holds its distance and margin. */
  public int assign() {
    return assigner.assign(point.transformed, 0);
  }

  public PointAssigner assigner() {
    return assigner;
  }
}
