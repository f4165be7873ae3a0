package io.segflow.transforms.kmeans;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.segflow.transforms.points.FeatureTransform;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.Row;
import org.apache.commons.math3.ml.clustering.CentroidCluster;
import org.apache.commons.math3.ml.clustering.DoublePoint;
import org.apache.commons.math3.ml.clustering.KMeansPlusPlusClusterer;
import org.apache.commons.math3.ml.distance.EuclideanDistance;
import org.apache.commons.math3.random.Well19937c;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Bisecting k-means: a tree of k leaves whose assignments are the descents of the tree, with an inertia within
 * 2% of an independent bisecting k-means (Commons Math's k-means++ for every split, on the full prepared data,
 * the cluster of largest inertia split first, as scikit-learn's BisectingKMeans does by default).
 */
@ExtendWith(TestPipelineExtension.class)
class BisectingKMeansTest {
  static final double BAR = 1.02;

  @Test
  void wholesaleCustomersLog1pK6(TestPipeline p) throws IOException {
    checkAgainstReference(p, QualityTest.csv("wholesale_customers_data.csv.gz", 2, 8), 6, FeatureTransform.LOG1P);
  }

  @Test
  void blobsLargerThanTheSample(TestPipeline p) {
    Blobs blobs = Blobs.generate(40_000, 3, 8, 1.5, 6, 23);
    checkAgainstReference(p, List.of(blobs.points), 8, FeatureTransform.NONE);
  }

  @Test
  void theTreeHasKLeavesAndEveryPointDescendsToItsLeaf(TestPipeline p) {
    Blobs blobs = Blobs.generate(5_000, 2, 5, 1.0, 8, 7);
    KMeansResult result = p.apply(Create.of(blobs.rows()).withRowSchema(Blobs.schema(2)))
        .apply(KMeans.fit().withEntityField("id").withFeatures(Blobs.features(2)).withK(5).withBisecting(1)
            .withSampleSize(1000));
    PAssert.thatSingleton(result.model()).satisfies(model -> {
      SegmentTree tree = model.tree();
      assertNotNull(tree, "a bisecting model keeps its tree");
      assertEquals(5, tree.leaves());
      assertEquals(9, tree.nodes());
      assertEquals(-1, tree.parents()[tree.root()]);
      for (int node = 0; node < tree.nodes(); node++) {
        assertEquals(tree.isLeaf(node) ? 0 : 2, tree.children(node).length, "node " + node);
        if (node != tree.root()) {
          assertTrue(tree.depth(node) >= 1 && tree.path(node).get(0) == tree.root(), "node " + node);
        }
      }
      assertEquals(5_000, Arrays.stream(model.clusterSizes()).sum());
      for (int leaf = 0; leaf < 5; leaf++) {
        assertTrue(model.clusterSizes()[leaf] > 0, "leaf " + leaf + " is empty");
        assertTrue(Arrays.equals(model.centroids()[leaf], tree.centroids()[leaf]), "leaf " + leaf + "'s centroid");
      }
      return null;
    });
    PCollectionView<KMeansModel> model = result.model().apply(View.asSingleton());
    Schema mismatch = Schema.builder().addStringField("id").build();
    PCollection<Row> wrong = result.assignments()
        .apply(ParDo.of(new NotItsDescentFn(model, blobs.points, mismatch)).withSideInputs(model))
        .setRowSchema(mismatch);
    PAssert.that(wrong).empty();
    p.run().waitUntilFinish();
  }

  /** The assignments whose segment is not the leaf the model's tree descends to, or whose margin is negative. */
  private static final class NotItsDescentFn extends DoFn<Row, Row> {
    private final PCollectionView<KMeansModel> model;
    private final double[][] points;
    private final Schema schema;

    NotItsDescentFn(PCollectionView<KMeansModel> model, double[][] points, Schema schema) {
      this.model = model;
      this.points = points;
      this.schema = schema;
    }

    @ProcessElement
    public void process(@Element Row r, ProcessContext c) {
      KMeansModel m = c.sideInput(model);
      double[] scaled = m.preparation().toScaled(points[Integer.parseInt(r.getString("id").substring(1))]);
      if (m.nearest(scaled) != r.getInt32("segment_id") || r.getDouble("margin") < 0) {
        c.output(Row.withSchema(schema).addValue(r.getString("id")).build());
      }
    }
  }

  @Test
  void refusesASweepAndAWarmStart(TestPipeline p) {
    PCollection<Row> rows = p.apply(Create.of(Blobs.generate(100, 2, 2, 1, 4, 1).rows()).withRowSchema(Blobs.schema(2)));
    KMeans.Fit fit = KMeans.fit().withEntityField("id").withFeatures(Blobs.features(2)).withBisecting(1);
    IllegalArgumentException sweep = assertThrows(IllegalArgumentException.class,
        () -> rows.apply("Sweep", fit.withKSweep(2, 4, SelectionCriterion.SILHOUETTE)));
    assertTrue(sweep.getMessage().contains("a bisecting fit needs one k"), sweep.getMessage());
    IllegalArgumentException warm = assertThrows(IllegalArgumentException.class,
        () -> rows.apply("Warm", fit.withK(2).withWarmStart(new double[][] {{0, 0}, {1, 1}})));
    assertTrue(warm.getMessage().contains("no warm start"), warm.getMessage());
    assertThrows(IllegalArgumentException.class, () -> fit.withBisecting(0));
    p.enableAbandonedNodeEnforcement(false);
  }

  private static void checkAgainstReference(TestPipeline p, List<double[]> raw, int k, FeatureTransform transform) {
    int d = raw.get(0).length;
    double[][] prepared = QualityTest.standardise(raw, transform::apply);
    double reference = referenceInertia(prepared, k, 10);
    KMeansResult result = QualityTest.rows(p, raw).apply(KMeans.fit().withEntityField("id")
        .withFeatures(QualityTest.features(d, transform)).withK(k).withBisecting(1).withSeed(1));
    PAssert.thatSingleton(result.model()).satisfies(model -> {
      assertEquals(raw.size(), model.points());
      assertEquals(k, model.tree().leaves());
      assertTrue(model.inertia() <= BAR * reference, String.format("bisecting inertia %.6f is above %.2f x the"
          + " reference bisecting k-means' %.6f", model.inertia(), BAR, reference));
      return null;
    });
    p.run().waitUntilFinish();
  }

  /** Bisecting k-means on every point: the cluster of largest inertia is split by the best of n k-means++ runs. */
  static double referenceInertia(double[][] points, int k, int trials) {
    var halves = new KMeansPlusPlusClusterer<DoublePoint>(2, 1000, new EuclideanDistance(), new Well19937c(2026));
    List<List<DoublePoint>> clusters = new ArrayList<>();
    List<DoublePoint> all = new ArrayList<>();
    for (double[] point : points) {
      all.add(new DoublePoint(point));
    }
    clusters.add(all);
    while (clusters.size() < k) {
      List<DoublePoint> largest = clusters.stream().max((a, b) -> Double.compare(sse(a), sse(b))).orElseThrow();
      List<CentroidCluster<DoublePoint>> best = null;
      for (int t = 0; t < trials; t++) {
        List<CentroidCluster<DoublePoint>> split = halves.cluster(largest);
        if (best == null || QualityTest.inertia(split) < QualityTest.inertia(best)) {
          best = split;
        }
      }
      clusters.remove(largest);
      best.forEach(c -> clusters.add(c.getPoints()));
    }
    return clusters.stream().mapToDouble(BisectingKMeansTest::sse).sum();
  }

  private static double sse(List<DoublePoint> cluster) {
    int d = cluster.get(0).getPoint().length;
    double[] mean = new double[d];
    for (DoublePoint p : cluster) {
      for (int j = 0; j < d; j++) {
        mean[j] += p.getPoint()[j] / cluster.size();
      }
    }
    double sse = 0;
    for (DoublePoint p : cluster) {
      for (int j = 0; j < d; j++) {
        sse += (p.getPoint()[j] - mean[j]) * (p.getPoint()[j] - mean[j]);
      }
    }
    return sse;
  }
}
