package io.segflow.transforms.kmeans;

import io.segflow.transforms.points.FeatureSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;

/** Seeded Gaussian blobs with known labels, as scikit-learn's make_blobs. */
final class Blobs implements java.io.Serializable {
  private static final long serialVersionUID = 1L;
  final double[][] points;
  final int[] labels;
  final double[][] centers;

  private Blobs(double[][] points, int[] labels, double[][] centers) {
    this.points = points;
    this.labels = labels;
    this.centers = centers;
  }

  static Blobs generate(int n, int d, int k, double spread, double box, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    double[][] centers = new double[k][d];
    for (double[] c : centers) {
      for (int j = 0; j < d; j++) {
        c[j] = (random.nextDouble() * 2 - 1) * box;
      }
    }
    double[][] points = new double[n][d];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = i % k;
      for (int j = 0; j < d; j++) {
        points[i][j] = centers[labels[i]][j] + spread * gaussian(random);
      }
    }
    return new Blobs(points, labels, centers);
  }

  static double gaussian(SplittableRandom random) {
    double u = random.nextDouble();
    double v = random.nextDouble();
    return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
  }

  static Schema schema(int d) {
    Schema.Builder b = Schema.builder().addStringField("id");
    for (int j = 0; j < d; j++) {
      b.addNullableField("f" + j, Schema.FieldType.DOUBLE);
    }
    return b.build();
  }

  List<Row> rows() {
    Schema schema = schema(points[0].length);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < points.length; i++) {
      Row.Builder r = Row.withSchema(schema).addValue("p" + i);
      for (double v : points[i]) {
        r.addValue(v);
      }
      rows.add(r.build());
    }
    return rows;
  }

  static List<FeatureSpec> features(int d) {
    List<FeatureSpec> f = new ArrayList<>();
    for (int j = 0; j < d; j++) {
      f.add(FeatureSpec.of("f" + j));
    }
    return f;
  }

  /** Adjusted Rand index of two labellings (1 = identical up to renaming). */
  static double adjustedRandIndex(int[] a, int[] b) {
    int ka = java.util.Arrays.stream(a).max().orElse(0) + 1;
    int kb = java.util.Arrays.stream(b).max().orElse(0) + 1;
    long[][] table = new long[ka][kb];
    for (int i = 0; i < a.length; i++) {
      table[a[i]][b[i]]++;
    }
    double index = 0;
    long[] rows = new long[ka];
    long[] cols = new long[kb];
    for (int i = 0; i < ka; i++) {
      for (int j = 0; j < kb; j++) {
        index += choose2(table[i][j]);
        rows[i] += table[i][j];
        cols[j] += table[i][j];
      }
    }
    double sumRows = java.util.Arrays.stream(rows).mapToDouble(Blobs::choose2).sum();
    double sumCols = java.util.Arrays.stream(cols).mapToDouble(Blobs::choose2).sum();
    double expected = sumRows * sumCols / choose2(a.length);
    double max = (sumRows + sumCols) / 2;
    return (index - expected) / (max - expected);
  }

  private static double choose2(long n) {
    return n * (n - 1) / 2.0;
  }
}
