package io.segflow.transforms.points;

import io.segflow.transforms.quality.EntityRejects;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Reads the entity, features and weight of each row, applies the per-feature transforms, and packs the
 * points into blocks. A row that cannot be a point (a null entity, a value a transform does not accept,
 * a missing value under the reject policy, a bad weight) goes to the rejects output with the reason.
 */
final class PreparePointsFn extends DoFn<Row, PointBlock> {
  // Explicit ids: a generated one counts the classes loaded before, and a session cluster loads a job's
  // classes anew for every job, so the second job's tags would not match its graph's.
  static final TupleTag<PointBlock> BLOCKS = new TupleTag<>("segflow.points.blocks") {};
  static final TupleTag<Row> REJECTS = new TupleTag<>("segflow.points.rejects") {};

  private final PointsSpec settings;
  private final PointReader reader;
  private transient PointBlock.Builder builder;
  private transient PointReader.Point point;

  PreparePointsFn(PointsSpec settings) {
    this.settings = settings;
    this.reader = PointReader.of(settings);
  }

  @StartBundle
  public void startBundle() {
    builder = new PointBlock.Builder(settings.dimensions(), settings.blockSize(), settings.keepInputs());
    point = new PointReader.Point(settings.dimensions());
  }

  @ProcessElement
  public void process(@Element Row row, MultiOutputReceiver out) {
    String problem = reader.read(row, point);
    if (problem != null) {
      out.get(REJECTS).output(EntityRejects.of(point.entity, problem, row));
      return;
    }
    String key = point.entity.toString();
    if (builder.add(key, point.transformed, point.input, point.weight, Hashing.hash(settings.seed(), key))) {
      out.get(BLOCKS).output(builder.build());
    }
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext context) {
    if (!builder.isEmpty()) {
      context.output(BLOCKS, builder.build(), GlobalWindow.INSTANCE.maxTimestamp(), GlobalWindow.INSTANCE);
    }
  }
}
