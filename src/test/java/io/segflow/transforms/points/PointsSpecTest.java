package io.segflow.transforms.points;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.segflow.transforms.density.Dbscan;
import io.segflow.transforms.kmeans.KMeans;
import java.util.List;
import org.apache.beam.sdk.schemas.Schema;
import org.junit.jupiter.api.Test;

/** The point options k-means and DBSCAN share are checked once, the same way for both fits. */
class PointsSpecTest {
  private static final Schema INPUT = Schema.builder().addStringField("customer").addDoubleField("spend")
      .addDoubleField("distance").build();

  @Test
  void bothFitsRefuseTheSameOptionsWithTheSameWords() {
    IllegalArgumentException kmeans = assertThrows(IllegalArgumentException.class,
        () -> KMeans.fit().withFeatures(FeatureSpec.of("spend"), FeatureSpec.of("spend")));
    IllegalArgumentException dbscan = assertThrows(IllegalArgumentException.class,
        () -> Dbscan.fit().withFeatures(FeatureSpec.of("spend"), FeatureSpec.of("spend")));
    assertEquals("Invalid KMeans.Fit: features must be distinct, got [spend, spend]", kmeans.getMessage());
    assertEquals("Invalid Dbscan.Fit: features must be distinct, got [spend, spend]", dbscan.getMessage());
    assertEquals("Invalid Dbscan.Fit: scaling must be given",
        assertThrows(IllegalArgumentException.class, () -> Dbscan.fit().withScaling(null)).getMessage());
    assertEquals("Invalid KMeans.Fit: sample size must be between 100 and 1000000, got 50",
        assertThrows(IllegalArgumentException.class, () -> KMeans.fit().withSampleSize(50)).getMessage());
    Dbscan.fit().withSampleSize(50); // DBSCAN clusters every point of a small sample
  }

  @Test
  void theAssignmentsCarryEachFeatureUnderThePrefixUnlessANameIsTaken() {
    PointsSpec spec = PointsSpec.defaults().withEntityField("customer")
        .withFeatures(List.of(FeatureSpec.of("spend"), FeatureSpec.of("distance")));
    assertEquals(List.of("customer", "segment_id", "distance", "margin"),
        spec.assignmentSchema("KMeans.Fit", INPUT, true).getFieldNames());
    assertEquals(List.of("customer", "segment_id", "distance", "margin", "in_spend", "in_distance"),
        spec.withAssignedFeaturePrefix("in_").assignmentSchema("KMeans.Fit", INPUT, true).getFieldNames());
    IllegalArgumentException clash = assertThrows(IllegalArgumentException.class,
        () -> spec.withAssignedFeaturePrefix("").assignmentSchema("Dbscan.Fit", INPUT, false));
    assertEquals("Invalid Dbscan.Fit: feature field 'distance' cannot be carried into the assignments, which have "
        + "a field of that name [customer, segment_id, distance, margin]; choose another prefix", clash.getMessage());
  }

  @Test
  void inputsAreKeptApartOnlyWhenCarriedAndTransformed() {
    PointsSpec plain = PointsSpec.defaults().withFeatures(List.of(FeatureSpec.of("spend")));
    PointsSpec logged = PointsSpec.defaults().withFeatures(
        List.of(new FeatureSpec("spend", FeatureTransform.LOG1P, null)));
    assertFalse(plain.withAssignedFeaturePrefix("p_").keepInputs());
    assertFalse(logged.keepInputs());
    assertTrue(logged.withAssignedFeaturePrefix("p_").keepInputs());
  }
}
