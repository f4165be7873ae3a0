package io.segflow.transforms.density;

import io.segflow.transforms.points.AssignStored;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.segflow.transforms.points.FeatureSpec;
import io.segflow.transforms.points.Scaling;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.apache.commons.math3.ml.clustering.Cluster;
import org.apache.commons.math3.ml.clustering.DBSCANClusterer;
import org.apache.commons.math3.ml.clustering.DoublePoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestPipelineExtension.class)
class DbscanTest {
  private static final Schema SCHEMA = Schema.builder().addStringField("id")
      .addNullableField("x", Schema.FieldType.DOUBLE).addNullableField("y", Schema.FieldType.DOUBLE).build();

  /** Two dense discs far apart, a ring around one of them, and points scattered thinly over the whole box. */
  static double[][] discsRingAndNoise(int perShape, int noise, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<double[]> points = new ArrayList<>();
    for (int i = 0; i < perShape; i++) {
      double r = Math.sqrt(random.nextDouble());
      double a = 2 * Math.PI * random.nextDouble();
      points.add(new double[] {-5 + r * Math.cos(a), r * Math.sin(a)});
      r = Math.sqrt(random.nextDouble());
      a = 2 * Math.PI * random.nextDouble();
      points.add(new double[] {5 + r * Math.cos(a), r * Math.sin(a)});
      a = 2 * Math.PI * random.nextDouble();
      double ring = 3 + 0.3 * random.nextDouble();
      points.add(new double[] {-5 + ring * Math.cos(a), ring * Math.sin(a)});
    }
    for (int i = 0; i < noise; i++) {
      points.add(new double[] {random.nextDouble() * 24 - 12, random.nextDouble() * 12 - 6});
    }
    return points.toArray(new double[0][]);
  }

  private static double[] flat(double[][] points) {
    double[] out = new double[points.length * 2];
    for (int i = 0; i < points.length; i++) {
      out[2 * i] = points[i][0];
      out[2 * i + 1] = points[i][1];
    }
    return out;
  }

  private static List<Row> rows(double[][] points) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < points.length; i++) {
      rows.add(Row.withSchema(SCHEMA).addValues("p" + i, points[i][0], points[i][1]).build());
    }
    return rows;
  }

  /** Labels renumbered by first appearance, noise kept as -1: equal when the partitions are. */
  private static int[] canonical(int[] labels) {
    Map<Integer, Integer> seen = new HashMap<>();
    int[] out = new int[labels.length];
    for (int i = 0; i < labels.length; i++) {
      out[i] = labels[i] < 0 ? -1 : seen.computeIfAbsent(labels[i], l -> seen.size());
    }
    return out;
  }

  @Test
  void matchesCommonsMathDbscanPointForPoint() {
    double[][] points = discsRingAndNoise(400, 60, 11);
    double eps = 0.45;
    int minPoints = 6;
    LocalDbscan.Result ours = LocalDbscan.cluster(flat(points), 2, eps, minPoints);

    // Commons Math counts neighbours without the point itself, so its minPts is ours minus one.
    List<DoublePoint> input = new ArrayList<>();
    for (double[] p : points) {
      input.add(new DoublePoint(p));
    }
    List<Cluster<DoublePoint>> clusters = new DBSCANClusterer<DoublePoint>(eps, minPoints - 1).cluster(input);
    Map<DoublePoint, Integer> reference = new java.util.IdentityHashMap<>();
    for (int c = 0; c < clusters.size(); c++) {
      for (DoublePoint p : clusters.get(c).getPoints()) {
        reference.put(p, c);
      }
    }
    int[] theirs = new int[points.length];
    for (int i = 0; i < points.length; i++) {
      theirs[i] = reference.getOrDefault(input.get(i), -1);
    }
    assertEquals(3, ours.clusters(), "two discs and the ring");
    assertEquals(clusters.size(), ours.clusters());
    assertArrayEquals(canonical(theirs), canonical(ours.labels()));
    long noise = java.util.Arrays.stream(ours.labels()).filter(l -> l == LocalDbscan.NOISE).count();
    assertTrue(noise > 10 && noise < 60, "most scattered points are noise, got " + noise);
  }

  @Test
  void totalsMergeInAnyOrderWithoutChangingTheirInputs() {
    List<ClusterTotals> bundles = new ArrayList<>();
    ClusterTotals all = new ClusterTotals(2, 1);
    for (int b = 0; b < 5; b++) {
      ClusterTotals t = new ClusterTotals(2, 1);
      for (int i = 0; i <= b; i++) {
        int cluster = i % 3 == 2 ? LocalDbscan.NOISE : i % 3;
        t.add(cluster, new double[] {0.1 * i + b});
        all.add(cluster, new double[] {0.1 * i + b});
      }
      bundles.add(t);
    }
    // Beam's tester merges in every grouping, empty accumulators included; exact sums match to the bit.
    org.apache.beam.sdk.testing.CombineFnTester.testCombineFn(new ClusterTotals.MergeFn(), bundles,
        new org.hamcrest.CustomTypeSafeMatcher<ClusterTotals>("7 and 5 members, 3 noise, exact sums") {
          @Override
          protected boolean matchesSafely(ClusterTotals t) {
            return t.counts[0] == 7 && t.counts[1] == 5 && t.noise == 3
                && t.sums[0].equals(all.sums[0]) && t.sums[1].equals(all.sums[1]);
          }
        });
    assertEquals(4, bundles.get(4).counts[0] + bundles.get(4).counts[1], "inputs are left as they were");
  }

  @Test
  void kneeOfTheKDistanceCurveSeparatesTheShapesFromTheScatter() {
    double[][] points = discsRingAndNoise(400, 60, 11);
    EpsKnee knee = EpsKnee.of(flat(points), 2, 6);
    LocalDbscan.Result result = LocalDbscan.cluster(flat(points), 2, knee.eps(), 6);
    // Each disc is one cluster of its own, and the scatter is mostly noise (the thinner ring may break up).
    java.util.Set<Integer> left = new java.util.HashSet<>();
    java.util.Set<Integer> right = new java.util.HashSet<>();
    for (int i = 0; i < 1200; i += 3) {
      left.add(result.labels()[i]);
      right.add(result.labels()[i + 1]);
    }
    assertEquals(1, left.size(), "eps " + knee.eps() + ": left disc in " + left);
    assertEquals(1, right.size(), "eps " + knee.eps() + ": right disc in " + right);
    assertTrue(!left.contains(LocalDbscan.NOISE) && !left.equals(right));
    long scatterNoise = java.util.stream.IntStream.range(1200, points.length)
        .filter(i -> result.labels()[i] == LocalDbscan.NOISE).count();
    assertTrue(scatterNoise >= 45, "scatter as noise: " + scatterNoise + " of 60");
    assertTrue(knee.percentile() > 0.8 && knee.percentile() < 1, "percentile " + knee.percentile());
    assertEquals(EpsKnee.CURVE_POINTS, knee.curve().length);
    for (int c = 1; c < knee.curve().length; c++) {
      assertTrue(knee.curve()[c] >= knee.curve()[c - 1], "the curve is sorted");
    }
  }

  @Test
  void everyEntityGetsItsShapeOrNoiseAndTheModelCountsThemAll(TestPipeline p) {
    double[][] points = discsRingAndNoise(400, 60, 11);
    PCollection<Row> input = p.apply(Create.of(rows(points)).withRowSchema(SCHEMA));
    DbscanResult result = input.apply(Dbscan.fit().withEntityField("id")
        .withFeatures(FeatureSpec.of("x"), FeatureSpec.of("y")).withScaling(Scaling.NONE)
        .withEps(0.45).withMinPoints(6).withBlockSize(100));
    int[] expected = LocalDbscan.cluster(flat(points), 2, 0.45, 6).labels();
    PAssert.that(result.assignments()).satisfies(rows -> {
      int[] got = new int[points.length];
      for (Row r : rows) {
        int i = Integer.parseInt(r.getString("id").substring(1));
        got[i] = r.getInt32("segment_id");
        if (got[i] == Dbscan.NOISE) {
          assertTrue(r.getDouble("distance") > 0.45, "noise is farther than eps from every core point");
        } else {
          assertTrue(r.getDouble("distance") <= 0.45);
        }
      }
      // Every point fits in the sample: the cores are those of DBSCAN on every point, which points join.
      int[] a = canonical(expected);
      int[] b = canonical(got);
      int differ = 0;
      for (int i = 0; i < a.length; i++) {
        differ += a[i] == b[i] ? 0 : 1;
      }
      // A border point within eps of two clusters may join the nearer rather than the first: none here.
      assertEquals(0, differ);
      return null;
    });
    PAssert.thatSingleton(result.model()).satisfies(m -> {
      assertEquals(3, m.clusters());
      long members = java.util.Arrays.stream(m.clusterSizes()).sum();
      assertEquals(points.length, members + m.noise());
      assertEquals(points.length, m.points());
      assertEquals(points.length, m.sampleSize());
      // The discs' centres over the full data, in original units (no scaling).
      boolean left = false;
      boolean right = false;
      for (double[] c : m.centroidsOriginalUnits()) {
        left |= Math.abs(c[0] + 5) < 0.2 && Math.abs(c[1]) < 0.2;
        right |= Math.abs(c[0] - 5) < 0.2 && Math.abs(c[1]) < 0.2;
      }
      assertTrue(left && right, java.util.Arrays.deepToString(m.centroidsOriginalUnits()));
      assertEquals(m, DensityModel.fromJson(m.toJson()));
      return null;
    });
    PAssert.that(result.rejects()).empty();
    p.run().waitUntilFinish();
  }

  /**
   * A stored model assigns as the fit did: the fit's own rows get the fit's assignments to the bit, a point
   * far from every core is noise, and a row that cannot be a point is a reject saying why.
   */
  @Test
  void aStoredModelAssignsItsTrainingRowsExactlyAsItsFitDidAndRejectsWhatItCannotRead(TestPipeline p) {
    List<Row> rows = rows(discsRingAndNoise(300, 40, 17));
    Pipeline fitting = Pipeline.create();
    DbscanResult fitted = fitting.apply(Create.of(rows).withRowSchema(SCHEMA)).apply(Dbscan.fit().withEntityField("id")
        .withFeatures(FeatureSpec.of("x"), FeatureSpec.of("y")).withEps(0.12).withMinPoints(6).withBlockSize(64));
    // The model, as a later run would load it from the warehouse: fitted once, then read back from JSON.
    STORED.clear();
    fitted.model().apply(MapElements.into(TypeDescriptors.strings()).via(m -> store("model", m.toJson())));
    fitted.assignments().apply(MapElements.into(TypeDescriptors.strings()).via(r -> store("assignment", r)));
    fitting.run().waitUntilFinish();
    DensityModel model = DensityModel.fromJson((String) STORED.get("model").get(0));
    List<Row> fitAssignments = STORED.get("assignment").stream().map(r -> (Row) r).toList();
    assertTrue(model.clusters() >= 2 && model.noise() > 0, model.toString());

    List<Row> scored = new ArrayList<>(rows);
    scored.add(Row.withSchema(SCHEMA).addValues("far", 40.0, 40.0).build());
    scored.add(Row.withSchema(SCHEMA).addValues("missing", 1.0, null).build());
    PCollectionTuple assigned = p.apply(Create.of(scored).withRowSchema(SCHEMA)).apply(Dbscan.assign(model));
    PAssert.that(assigned.get(AssignStored.ASSIGNMENTS)).satisfies(actual -> {
      Map<String, Row> byId = new HashMap<>();
      actual.forEach(r -> byId.put(r.getString("id"), r));
      assertEquals(rows.size() + 1, byId.size());
      for (Row expected : fitAssignments) {
        assertEquals(expected, byId.get(expected.getString("id")));
      }
      assertEquals(Dbscan.NOISE, byId.get("far").getInt32("segment_id"));
      assertTrue(byId.get("far").getDouble("distance") > model.eps());
      return null;
    });
    PAssert.that(assigned.get(AssignStored.REJECTS)).satisfies(rejects -> {
      Map<String, String> reasons = new HashMap<>();
      rejects.forEach(r -> reasons.put(r.getString("entity"), r.getString("reason")));
      assertEquals(Map.of("missing", "feature y is null"), reasons);
      return null;
    });
    p.run().waitUntilFinish();
  }

  /** What a fitting pipeline produced, kept for the test that reads it back (the DirectRunner runs in this JVM). */
  private static final Map<String, List<Object>> STORED = new java.util.concurrent.ConcurrentHashMap<>();

  private static String store(String key, Object value) {
    STORED.computeIfAbsent(key, k -> java.util.Collections.synchronizedList(new ArrayList<>())).add(value);
    return key;
  }

  @Test
  void entitiesOutsideTheSampleJoinTheShapeOfTheirNearestCore(TestPipeline p) {
    double[][] points = discsRingAndNoise(2000, 0, 5);
    PCollection<Row> input = p.apply(Create.of(rows(points)).withRowSchema(SCHEMA));
    DbscanResult result = input.apply(Dbscan.fit().withEntityField("id")
        .withFeatures(FeatureSpec.of("x"), FeatureSpec.of("y")).withScaling(Scaling.NONE)
        .withEps(0.5).withMinPoints(5).withSampleSize(1500));
    PAssert.that(result.assignments()).satisfies(rows -> {
      Map<Integer, Integer> shapeToSegment = new HashMap<>();
      for (Row r : rows) {
        int i = Integer.parseInt(r.getString("id").substring(1));
        int shape = i % 3; // the generator interleaves left disc, right disc, ring
        int segment = r.getInt32("segment_id");
        Integer first = shapeToSegment.putIfAbsent(shape, segment);
        assertEquals(first == null ? segment : first, segment, "point " + i + " of shape " + shape);
      }
      assertEquals(3, new java.util.HashSet<>(shapeToSegment.values()).size());
      return null;
    });
    PAssert.thatSingleton(result.model()).satisfies(m -> {
      assertEquals(1500, m.sampleSize());
      assertEquals(0, m.noise());
      return null;
    });
    p.run().waitUntilFinish();
  }

  @Test
  void sparseDataWithNoDenseRegionIsAnErrorThatSaysWhatToChange() {
    Pipeline p = Pipeline.create();
    double[][] points = discsRingAndNoise(0, 50, 3);
    p.apply(Create.of(rows(points)).withRowSchema(SCHEMA)).apply(Dbscan.fit().withEntityField("id")
        .withFeatures(FeatureSpec.of("x"), FeatureSpec.of("y")).withEps(0.01).withMinPoints(5));
    Exception e = assertThrows(Exception.class, () -> p.run().waitUntilFinish());
    Throwable cause = e;
    while (cause.getCause() != null && !(cause instanceof IllegalArgumentException)) {
      cause = cause.getCause();
    }
    assertTrue(cause.getMessage().contains("no dense region in the sample of 50 points")
        && cause.getMessage().contains("lower min points or raise eps"), cause.getMessage());
  }

  @Test
  void epsAndMinPointsAreRequired() {
    Pipeline p = Pipeline.create();
    PCollection<Row> input = p.apply(Create.of(rows(discsRingAndNoise(5, 0, 1))).withRowSchema(SCHEMA));
    Dbscan.Fit fit = Dbscan.fit().withEntityField("id").withFeatures(FeatureSpec.of("x"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> input.apply(fit.withMinPoints(3)))
        .getMessage().contains("eps is required"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> input.apply("b", fit.withEps(1)))
        .getMessage().contains("min points are required"));
    assertThrows(IllegalArgumentException.class, () -> fit.withEps(0));
  }
}
