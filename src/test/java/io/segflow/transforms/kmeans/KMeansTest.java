package io.segflow.transforms.kmeans;

import io.segflow.transforms.points.AssignStored;
import io.segflow.transforms.points.FeatureSpec;
import io.segflow.transforms.points.FeatureTransform;
import io.segflow.transforms.points.Clip;
import io.segflow.transforms.points.Scaling;
import io.segflow.transforms.points.NullPolicy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestPipelineExtension.class)
class KMeansTest {
  private static final String STORED_MODEL = "{\"entityField\":\"id\",\"features\":[\"f0\",\"f1\"],"
      + "\"preparation\":{\"features\":[{\"name\":\"f0\",\"transform\":\"NONE\",\"clipLow\":\"-Infinity\","
      + "\"clipHigh\":\"Infinity\",\"impute\":\"NaN\",\"center\":0.0,\"scale\":1.0},{\"name\":\"f1\","
      + "\"transform\":\"NONE\",\"clipLow\":\"-Infinity\",\"clipHigh\":\"Infinity\",\"impute\":\"NaN\","
      + "\"center\":0.0,\"scale\":1.0}],\"scaling\":\"NONE\",\"nulls\":\"REJECT\"},\"k\":2,"
      + "\"centroids\":[[0.0,0.0],[1.0,1.0]]}";

  /** What a pipeline output, by name, for a second pipeline of the same test (the DirectRunner runs in this JVM). */
  private static final Map<String, List<Object>> COLLECTED = new java.util.concurrent.ConcurrentHashMap<>();

  static final class Collect<T> extends org.apache.beam.sdk.transforms.DoFn<T, Void> {
    private final String name;

    Collect(String name) {
      this.name = name;
    }

    @ProcessElement
    public void process(@Element T element) {
      COLLECTED.computeIfAbsent(name, n -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(element);
    }
  }

  @Test
  void recoversWellSeparatedBlobs(TestPipeline p) {
    Blobs blobs = Blobs.generate(4000, 4, 5, 0.6, 10, 7);
    PCollection<Row> rows = p.apply(Create.of(blobs.rows()).withRowSchema(Blobs.schema(4)));
    KMeansResult result = rows.apply(KMeans.fit().withEntityField("id").withFeatures(Blobs.features(4))
        .withK(5).withScaling(Scaling.NONE).withSeed(3).withBlockSize(512));
    PAssert.that(result.rejects()).empty();
    PAssert.that(result.assignments()).satisfies(assignments -> {
      Map<String, Integer> byId = new HashMap<>();
      assignments.forEach(r -> byId.put(r.getString("id"), r.getInt32("segment_id")));
      assertEquals(4000, byId.size());
      int[] found = new int[4000];
      for (int i = 0; i < 4000; i++) {
        found[i] = byId.get("p" + i);
      }
      double ari = Blobs.adjustedRandIndex(blobs.labels, found);
      assertTrue(ari >= 0.99, "ARI " + ari);
      return null;
    });
    PAssert.thatSingleton(result.model()).satisfies(model -> {
      assertEquals(5, model.k());
      assertEquals(4000, model.points());
      assertEquals(4000, java.util.Arrays.stream(model.clusterSizes()).sum());
      assertEquals(5, model.passes(), "summary + 2 refinements + evaluation + assignment");
      assertTrue(model.silhouette() > 0.7, "silhouette " + model.silhouette());
      assertEquals(model, KMeansModel.fromJson(model.toJson()));
      for (double[] centroid : model.centroidsOriginalUnits()) {
        double nearestTrue = java.util.Arrays.stream(blobs.centers).mapToDouble(c -> distance(c, centroid)).min().orElseThrow();
        assertTrue(nearestTrue < 0.1, "centroid " + java.util.Arrays.toString(centroid) + " is " + nearestTrue + " from a true centre");
      }
      return null;
    });
    p.run().waitUntilFinish();
  }

  @Test
  void rowsThatCannotBePointsAreRejectedWithTheReason(TestPipeline p) {
    Blobs blobs = Blobs.generate(200, 2, 2, 0.3, 5, 1);
    List<Row> rows = new java.util.ArrayList<>(blobs.rows());
    rows.add(Row.withSchema(Blobs.schema(2)).addValues("null-x", null, 1.0).build());
    rows.add(Row.withSchema(Blobs.schema(2)).addValues("nan-y", 1.0, Double.NaN).build());
    rows.add(Row.withSchema(Blobs.schema(2)).addValues("neg", -5.0, 1.0).build());
    PCollection<Row> input = p.apply(Create.of(rows).withRowSchema(Blobs.schema(2)));
    KMeansResult result = input.apply(KMeans.fit().withEntityField("id").withK(2).withScaling(Scaling.NONE)
        .withFeatures(FeatureSpec.of("f0").withTransform(FeatureTransform.SQRT), FeatureSpec.of("f1")));
    PAssert.that(result.rejects()).satisfies(rejects -> {
      Map<String, String> reasons = new HashMap<>();
      rejects.forEach(r -> reasons.put(r.getString("entity"), r.getString("reason")));
      assertEquals("feature f0 is null", reasons.get("null-x"));
      assertEquals("feature f1 is NaN", reasons.get("nan-y"));
      assertEquals("feature f0 is -5.0, but sqrt takes values >= 0", reasons.get("neg"));
      long negativeBlobPoints = blobs.rows().stream().filter(r -> r.getDouble("f0") < 0).count();
      assertEquals(3 + negativeBlobPoints, reasons.size());
      return null;
    });
    PAssert.thatSingleton(result.model()).satisfies(model -> {
      long negativeBlobPoints = blobs.rows().stream().filter(r -> r.getDouble("f0") < 0).count();
      assertEquals(200 - negativeBlobPoints, model.points(), "accepted + rejected = input");
      return null;
    });
    p.run().waitUntilFinish();
  }

  @Test
  void assignmentsCanCarryEachFeatureAsTheInputHadItNotAsTransformed(TestPipeline p) {
    Blobs blobs = Blobs.generate(300, 2, 2, 0.3, 5, 4);
    List<Row> rows = new java.util.ArrayList<>(blobs.rows().stream().filter(r -> r.getDouble("f0") >= 0).toList());
    rows.add(Row.withSchema(Blobs.schema(2)).addValues("null-y", 4.0, null).build());
    Map<String, Row> input = new HashMap<>();
    rows.forEach(r -> input.put(r.getString("id"), r));
    KMeansResult result = p.apply(Create.of(rows).withRowSchema(Blobs.schema(2)))
        .apply(KMeans.fit().withEntityField("id").withK(2).withNullPolicy(NullPolicy.IMPUTE_MEAN)
            .withFeatures(FeatureSpec.of("f0").withTransform(FeatureTransform.SQRT), FeatureSpec.of("f1"))
            .withFeaturesInAssignments("in_"));
    assertEquals(List.of("id", "segment_id", "distance", "margin", "in_f0", "in_f1"),
        result.assignments().getSchema().getFieldNames());
    PAssert.that(result.assignments()).satisfies(assigned -> {
      int n = 0;
      for (Row a : assigned) {
        Row in = input.get(a.getString("id"));
        assertEquals(in.getDouble("f0"), a.getDouble("in_f0"), "f0 as read, not its square root");
        assertEquals(in.getDouble("f1"), a.getDouble("in_f1"), "f1, NULL where missing although imputed for the fit");
        n++;
      }
      assertEquals(rows.size(), n);
      return null;
    });
    p.run().waitUntilFinish();
  }

  @Test
  void aStoredModelAssignsItsTrainingRowsExactlyAsItsFitDidAndRejectsWhatItCannotRead(TestPipeline p) {
    Blobs blobs = Blobs.generate(600, 3, 3, 0.4, 6, 9);
    List<Row> rows = new java.util.ArrayList<>(blobs.rows().stream().filter(r -> r.getDouble("f0") >= 0).toList());
    KMeans.Fit fit = KMeans.fit().withEntityField("id").withK(3).withSeed(5)
        .withFeatures(FeatureSpec.of("f0").withTransform(FeatureTransform.SQRT), FeatureSpec.of("f1"),
            FeatureSpec.of("f2").withClip(new Clip(0.05, 0.95)));
    // The model, as a later run would load it from the warehouse: fitted once, then read back from JSON.
    Pipeline fitting = Pipeline.create();
    KMeansResult fitted = fitting.apply(Create.of(rows).withRowSchema(Blobs.schema(3))).apply(fit);
    fitted.model().apply(org.apache.beam.sdk.transforms.ParDo.of(new Collect<>("stored-model")));
    fitted.assignments().apply(org.apache.beam.sdk.transforms.ParDo.of(new Collect<>("stored-assignments")));
    fitting.run().waitUntilFinish();
    KMeansModel model = KMeansModel.fromJson(((KMeansModel) COLLECTED.get("stored-model").get(0)).toJson());
    List<Row> fitAssignments = COLLECTED.get("stored-assignments").stream().map(r -> (Row) r).toList();

    List<Row> scored = new java.util.ArrayList<>(rows);
    scored.add(Row.withSchema(Blobs.schema(3)).addValues("negative", -1.0, 1.0, 1.0).build());
    scored.add(Row.withSchema(Blobs.schema(3)).addValues("missing", 1.0, null, 1.0).build());
    PCollectionTuple assigned = p.apply(Create.of(scored).withRowSchema(Blobs.schema(3))).apply(KMeans.assign(model));
    PAssert.that(assigned.get(AssignStored.ASSIGNMENTS)).containsInAnyOrder(fitAssignments);
    PAssert.that(assigned.get(AssignStored.REJECTS)).satisfies(rejects -> {
      Map<String, String> reasons = new HashMap<>();
      rejects.forEach(r -> reasons.put(r.getString("entity"), r.getString("reason")));
      assertEquals(Map.of("negative", "feature f0 is -1.0, but sqrt takes values >= 0",
          "missing", "feature f1 is null"), reasons);
      return null;
    });
    p.run().waitUntilFinish();
  }

  @Test
  void assigningNamesTheFieldsTheModelNeedsAndTheInputLacks(TestPipeline p) {
    KMeansModel model = KMeansModel.fromJson(STORED_MODEL);
    PCollection<Row> input = p.apply(Create.empty(Blobs.schema(1)).withRowSchema(Blobs.schema(1)));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> input.apply(KMeans.assign(model)));
    assertEquals("Invalid KMeans.Assign: the model needs fields [f1] that the input schema [id, f0] does not have",
        e.getMessage());
    p.enableAbandonedNodeEnforcement(false);
  }

  @Test
  void optionsNameTheOptionTheValueAndTheRange() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KMeans.fit().withK(1));
    assertEquals("Invalid KMeans.Fit: k must be between 2 and 1000, got 1", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> KMeans.fit().withRestarts(0));
    assertEquals("Invalid KMeans.Fit: restarts must be between 1 and 100, got 0", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> KMeans.fit().withKSweep(5, 3, SelectionCriterion.SILHOUETTE));
    assertEquals("Invalid KMeans.Fit: k sweep must satisfy 2 <= min <= max <= 1000, got min=5, max=3", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> KMeans.fit().withTolerance(-1));
    assertEquals("Invalid KMeans.Fit: tolerance must be between 0 and 1, got -1.0", e.getMessage());
  }

  private static double distance(double[] a, double[] b) {
    double s = 0;
    for (int j = 0; j < a.length; j++) {
      s += (a[j] - b[j]) * (a[j] - b[j]);
    }
    return Math.sqrt(s);
  }
}
