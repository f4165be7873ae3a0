package io.segflow.transforms.kmeans;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;

/**
 * The final pass: assigns every point to its nearest centroid of the chosen model, emitting the entity,
 * segment, distance to the centroid and margin to the second nearest; and sums the clusters once more,
 * so the model's figures describe exactly these assignments.
 */
final class AssignFn extends DoFn<PointBlock, Row> {
  static final TupleTag<Row> ASSIGNMENTS = new TupleTag<>() {};
  static final TupleTag<PassSums> SUMS = new TupleTag<>() {};

  private final PCollectionView<FitState> state;
  private final Schema schema;
  private transient List<ClusterSums> sums;

  AssignFn(PCollectionView<FitState> state, Schema schema) {
    this.state = state;
    this.schema = schema;
  }

  @StartBundle
  public void startBundle() {
    sums = null;
  }

  @ProcessElement
  public void process(@Element PointBlock block, ProcessContext context) {
    FitState fit = context.sideInput(state);
    Candidate chosen = fit.chosen();
    int k = chosen.k();
    int d = block.dimensions;
    if (sums == null) {
      sums = new ArrayList<>(List.of(new ClusterSums(k, d)));
    }
    double[] centroids = chosen.centroids();
    double[] scaled = new double[d];
    Schema.FieldType entityType = schema.getField(0).getType();
    for (int i = 0; i < block.size(); i++) {
      fit.preparation().apply(block.values, i * d, scaled);
      int best = 0;
      double first = Double.POSITIVE_INFINITY;
      double second = Double.POSITIVE_INFINITY;
      for (int m = 0; m < k; m++) {
        double dist = 0;
        for (int j = 0; j < d; j++) {
          double delta = scaled[j] - centroids[m * d + j];
          dist += delta * delta;
        }
        if (dist < first) {
          second = first;
          first = dist;
          best = m;
        } else if (dist < second) {
          second = dist;
        }
      }
      sums.get(0).add(scaled, block.weights[i], block.hashes[i], best, first);
      context.output(Row.withSchema(schema)
          .addValues(entity(block.keys[i], entityType), best, Math.sqrt(first), Math.sqrt(second) - Math.sqrt(first))
          .build());
    }
  }

  private static Object entity(String key, Schema.FieldType type) {
    return switch (type.getTypeName()) {
      case INT64 -> Long.parseLong(key);
      case INT32 -> Integer.parseInt(key);
      default -> key;
    };
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext context) {
    if (sums != null) {
      context.output(SUMS, new PassSums(sums), GlobalWindow.INSTANCE.maxTimestamp(), GlobalWindow.INSTANCE);
    }
  }
}
