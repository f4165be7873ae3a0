package io.segflow.transforms.kmeans;

import io.segflow.transforms.points.FeatureSpec;
import io.segflow.transforms.points.FeatureTransform;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleUnaryOperator;
import java.util.zip.GZIPInputStream;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.commons.math3.ml.clustering.CentroidCluster;
import org.apache.commons.math3.ml.clustering.DoublePoint;
import org.apache.commons.math3.ml.clustering.KMeansPlusPlusClusterer;
import org.apache.commons.math3.ml.distance.EuclideanDistance;
import org.apache.commons.math3.random.Well19937c;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Quality against an independent reference: the best of many Commons Math k-means++ runs on the same
 * prepared points (and, for generated blobs, Lloyd from the groups' means). segflow's inertia must be within
 * 0.2% of it (the bar against scikit-learn's KMeans(n_init=10)), on real customer data, on blobs
 * large enough to go through the sample, and at k = 50 and 100.
 */
@ExtendWith(TestPipelineExtension.class)
class QualityTest {
  static final double BAR = 1.002;

  @Test
  void wholesaleCustomersLog1pStandardisedK6(TestPipeline p) throws IOException {
    List<double[]> raw = csv("wholesale_customers_data.csv.gz", 2, 8);
    checkAgainstCommonsMath(p, raw, 6, FeatureTransform.LOG1P, 50);
  }

  @Test
  void mallCustomersStandardisedK5(TestPipeline p) throws IOException {
    List<double[]> raw = csv("Mall_Customers.csv.gz", 2, 5);
    checkAgainstCommonsMath(p, raw, 5, FeatureTransform.NONE, 50);
  }

  @Test
  void blobsLargerThanTheSample(TestPipeline p) {
    Blobs blobs = Blobs.generate(60_000, 5, 7, 2.5, 6, 19);
    checkAgainstCommonsMath(p, List.of(blobs.points), 7, FeatureTransform.NONE, 4);
  }

  /** k = 50 where the in-memory solve sees every point: Lloyd's local optima, not the sample, are the risk. */
  @Test
  void fiftyBlobsIn2dAllInTheSample(TestPipeline p) {
    Blobs blobs = Blobs.generate(7_500, 2, 50, 1.0, 60, 50);
    checkAgainstCommonsMath(p, List.of(blobs.points), 50, FeatureTransform.NONE, 10, blobs.labels);
  }

  /** k = 100 on more points than the sample holds. */
  @Test
  void hundredBlobsIn2dThroughTheSample(TestPipeline p) {
    Blobs blobs = Blobs.generate(40_000, 2, 100, 1.0, 60, 100);
    checkAgainstCommonsMath(p, List.of(blobs.points), 100, FeatureTransform.NONE, 10, blobs.labels);
  }

  private static void checkAgainstCommonsMath(TestPipeline p, List<double[]> raw, int k, FeatureTransform transform,
      int trials) {
    checkAgainstCommonsMath(p, raw, k, transform, trials, null);
  }

  /**
   * @param labels the generating groups, or null: with them, the bar is also Lloyd's optimum from the groups'
   *     own means, which best-of-n k-means++ at large k typically misses by 1 to 3% (two centroids in one
   *     group, one straddling two), so this bar fails a solve that only restarts
   */
  private static void checkAgainstCommonsMath(TestPipeline p, List<double[]> raw, int k, FeatureTransform transform,
      int trials, int[] labels) {
    int d = raw.get(0).length;
    double[][] prepared = standardise(raw, transform::apply);
    double commonsMath = commonsMathBestInertia(prepared, k, trials);
    double reference = labels == null ? commonsMath : Math.min(commonsMath, lloydFromGroups(prepared, labels, k));

    KMeansResult result = rows(p, raw)
        .apply(KMeans.fit().withEntityField("id").withFeatures(features(d, transform)).withK(k).withSeed(1));
    PAssert.thatSingleton(result.model()).satisfies(model -> {
      assertEquals(raw.size(), model.points());
      assertTrue(model.inertia() <= BAR * reference, String.format("segflow inertia %.6f is above %.4f x the"
          + " reference %.6f (Commons Math's best of %d: %.6f)", model.inertia(), BAR, reference, trials, commonsMath));
      return null;
    });
    p.run().waitUntilFinish();
  }

  /** The points as rows: id (INT64), then x0, x1, ... (DOUBLE). */
  static PCollection<Row> rows(TestPipeline p, List<double[]> raw) {
    int d = raw.get(0).length;
    Schema.Builder sb = Schema.builder().addInt64Field("id");
    for (int j = 0; j < d; j++) {
      sb.addDoubleField("x" + j);
    }
    Schema schema = sb.build();
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < raw.size(); i++) {
      Object[] values = new Object[d + 1];
      values[0] = (long) i;
      for (int j = 0; j < d; j++) {
        values[j + 1] = raw.get(i)[j];
      }
      rows.add(Row.withSchema(schema).addValues(values).build());
    }
    return p.apply(Create.of(rows).withRowSchema(schema));
  }

  /** Features x0, x1, ... each with the transform. */
  static List<FeatureSpec> features(int d, FeatureTransform transform) {
    List<FeatureSpec> features = new ArrayList<>();
    for (int j = 0; j < d; j++) {
      features.add(FeatureSpec.of("x" + j).withTransform(transform));
    }
    return features;
  }

  /** The transform, then (x - mean) / population standard deviation: segflow's standard scaling. */
  static double[][] standardise(List<double[]> raw, DoubleUnaryOperator transform) {
    int n = raw.size();
    int d = raw.get(0).length;
    double[][] out = new double[n][d];
    for (int j = 0; j < d; j++) {
      double mean = 0;
      for (int i = 0; i < n; i++) {
        out[i][j] = transform.applyAsDouble(raw.get(i)[j]);
        mean += out[i][j];
      }
      mean /= n;
      double var = 0;
      for (int i = 0; i < n; i++) {
        var += (out[i][j] - mean) * (out[i][j] - mean);
      }
      double sd = Math.sqrt(var / n);
      for (int i = 0; i < n; i++) {
        out[i][j] = (out[i][j] - mean) / sd;
      }
    }
    return out;
  }

  /**
   * The lowest inertia of {@code trials} Commons Math k-means++ runs. Picked by inertia itself: Commons Math's
   * own best-of-n ({@code MultiKMeansPlusPlusClusterer}) picks by the sum of cluster variances, which is not
   * the objective k-means minimises, so its "best" can have a higher inertia than another trial's.
   */
  static double commonsMathBestInertia(double[][] points, int k, int trials) {
    List<DoublePoint> data = new ArrayList<>();
    for (double[] p : points) {
      data.add(new DoublePoint(p));
    }
    var clusterer = new KMeansPlusPlusClusterer<DoublePoint>(k, 1000, new EuclideanDistance(), new Well19937c(2026));
    double best = Double.POSITIVE_INFINITY;
    for (int t = 0; t < trials; t++) {
      best = Math.min(best, inertia(clusterer.cluster(data)));
    }
    return best;
  }

  /** Plain Lloyd iterations (to a fixed point) started from the mean of each generating group. */
  static double lloydFromGroups(double[][] points, int[] labels, int k) {
    int d = points[0].length;
    double[][] centres = new double[k][d];
    int[] assigned = labels.clone();
    double inertia = Double.POSITIVE_INFINITY;
    for (int iteration = 0; iteration < 1000; iteration++) {
      double[][] sums = new double[k][d];
      int[] counts = new int[k];
      for (int i = 0; i < points.length; i++) {
        counts[assigned[i]]++;
        for (int j = 0; j < d; j++) {
          sums[assigned[i]][j] += points[i][j];
        }
      }
      for (int c = 0; c < k; c++) {
        for (int j = 0; j < d && counts[c] > 0; j++) {
          centres[c][j] = sums[c][j] / counts[c];
        }
      }
      boolean moved = false;
      double total = 0;
      for (int i = 0; i < points.length; i++) {
        int best = 0;
        double bestDistance = Double.POSITIVE_INFINITY;
        for (int c = 0; c < k; c++) {
          double distance = 0;
          for (int j = 0; j < d; j++) {
            distance += (points[i][j] - centres[c][j]) * (points[i][j] - centres[c][j]);
          }
          if (distance < bestDistance) {
            bestDistance = distance;
            best = c;
          }
        }
        moved |= best != assigned[i];
        assigned[i] = best;
        total += bestDistance;
      }
      inertia = total;
      if (!moved) {
        break;
      }
    }
    return inertia;
  }

  static double inertia(List<CentroidCluster<DoublePoint>> clusters) {
    double inertia = 0;
    for (CentroidCluster<DoublePoint> cluster : clusters) {
      double[] c = cluster.getCenter().getPoint();
      for (DoublePoint point : cluster.getPoints()) {
        for (int j = 0; j < c.length; j++) {
          double delta = point.getPoint()[j] - c[j];
          inertia += delta * delta;
        }
      }
    }
    return inertia;
  }

  /** Numeric columns [from, to) of a gzipped CSV with a header. */
  static List<double[]> csv(String resource, int from, int to) throws IOException {
    List<double[]> rows = new ArrayList<>();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(
        new GZIPInputStream(QualityTest.class.getResourceAsStream("/data/" + resource)), StandardCharsets.UTF_8))) {
      in.readLine();
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (line.isBlank()) {
          continue;
        }
        String[] cells = line.trim().split(",");
        double[] row = new double[to - from];
        for (int j = from; j < to; j++) {
          row[j - from] = Double.parseDouble(cells[j]);
        }
        rows.add(row);
      }
    }
    return rows;
  }
}
