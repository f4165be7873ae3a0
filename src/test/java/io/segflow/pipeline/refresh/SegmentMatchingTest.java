package io.segflow.pipeline.refresh;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.segflow.transforms.points.FeatureTransform;
import io.segflow.transforms.kmeans.Init;
import io.segflow.transforms.kmeans.KMeansModel;
import io.segflow.transforms.points.NullPolicy;
import io.segflow.transforms.points.Preparation;
import io.segflow.transforms.points.Scaling;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SegmentMatchingTest {
  private static Preparation scaler(double center, double scale, FeatureTransform transform) {
    return new Preparation(List.of(
        new Preparation.Feature("spend", transform, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, Double.NaN,
            center, scale),
        new Preparation.Feature("orders", FeatureTransform.NONE, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY,
            Double.NaN, 0, 1)), Scaling.STANDARD, NullPolicy.REJECT);
  }

  private static KMeansModel model(Preparation preparation, double[][] centroids) {
    return new KMeansModel("customer_id", List.of("spend", "orders"), preparation, centroids.length, centroids,
        centroids, new long[centroids.length], new double[centroids.length], 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, true, 1,
        1L, Init.KMEANS_PLUS_PLUS, 10, 1e-4, List.of(), null, null);
  }

  /** A previous run of three segments published as ids 7, 2 and 9, the definition's history up to id 11. */
  private static PreviousSegments previous(Preparation preparation) {
    KMeansModel before = model(preparation, new double[][] {{0, 0}, {10, 0}, {0, 10}});
    String json = before.toJson().replaceFirst("\\{", "{\"segment_ids\": [7, 2, 9],");
    return PreviousSegments.of("r1", Map.of(7, "near", 2, "far right", 9, "far up"), Optional.of(json),
        Map.of("near", 7, "far right", 2, "far up", 9), 11);
  }

  @Test
  void reorderedCentroidsKeepTheirIdsAndLabelsAndTheirShiftIsMeasuredInThePreviousSpace() {
    Preparation before = scaler(0, 1, FeatureTransform.NONE);
    // The same places in a space twice as wide: scaled coordinates halve, the original ones stay.
    Preparation now = scaler(0, 2, FeatureTransform.NONE);
    KMeansModel current = model(now, new double[][] {{0, 10.2}, {0.05, 0}, {5, 0}});
    SegmentIds ids = SegmentMatching.byCentroids(current, List.of("a", "b", "c"), previous(before), Map.of());
    assertArrayEquals(new int[] {9, 7, 2}, ids.ids());
    assertEquals(List.of("far up", "near", "far right"), ids.labels());
    assertEquals(0.2, ids.shift(0), 1e-9);
    assertEquals(0.1, ids.shift(1), 1e-9);
    assertEquals(0.0, ids.shift(2), 1e-9);
  }

  @Test
  void aFourthSegmentGetsAnIdAboveTheHistoryAndAUniqueLabel() {
    Preparation same = scaler(0, 1, FeatureTransform.NONE);
    KMeansModel current = model(same, new double[][] {{10, 0}, {0, 0}, {0, 10}, {10, 10}});
    SegmentIds ids = SegmentMatching.byCentroids(current, List.of("x", "y", "z", "near"), previous(same), Map.of());
    assertArrayEquals(new int[] {2, 7, 9, 12}, ids.ids());
    assertEquals(List.of("far right", "near", "far up", "near (2)"), ids.labels());
    assertArrayEquals(new boolean[] {true, true, true, false}, ids.kept());
    assertEquals(Double.NaN, ids.shift(3));
  }

  @Test
  void namesGivenByIdReplaceLabelsAndWinTheirLabelFromAKeptSegment() {
    Preparation same = scaler(0, 1, FeatureTransform.NONE);
    KMeansModel current = model(same, new double[][] {{10, 0}, {0, 0}, {0, 10}, {10, 10}});
    // Segment 2 ("far right") is named "near"; the kept segment 7 labelled "near" yields it; 12 is new.
    SegmentIds ids = SegmentMatching.byCentroids(current, List.of("x", "y", "z", "corner"), previous(same),
        Map.of(2, "near", 12, "corner shoppers"));
    assertArrayEquals(new int[] {2, 7, 9, 12}, ids.ids());
    assertEquals(List.of("near", "near (2)", "far up", "corner shoppers"), ids.labels());
  }

  @Test
  void withFewerSegmentsTheFarthestPreviousOneIsLeftOver() {
    Preparation same = scaler(0, 1, FeatureTransform.NONE);
    KMeansModel current = model(same, new double[][] {{0, 9}, {9, 0}});
    assertArrayEquals(new int[] {9, 2}, SegmentMatching.byCentroids(current, List.of("a", "b"), previous(same), Map.of())
        .ids());
  }

  @Test
  void anotherTransformMakesEverySegmentNew() {
    KMeansModel current = model(scaler(0, 1, FeatureTransform.LOG1P), new double[][] {{0, 0}, {10, 0}, {0, 10}});
    SegmentIds ids = SegmentMatching.byCentroids(current, List.of("a", "b", "c"),
        previous(scaler(0, 1, FeatureTransform.NONE)), Map.of());
    assertArrayEquals(new int[] {12, 13, 14}, ids.ids());
  }

  @Test
  void aFirstRunNumbersFromZero() {
    KMeansModel current = model(scaler(0, 1, FeatureTransform.NONE), new double[][] {{0, 0}, {1, 1}});
    assertArrayEquals(new int[] {0, 1}, SegmentMatching.byCentroids(current, List.of("a", "b"), PreviousSegments.NONE,
        Map.of()).ids());
    assertArrayEquals(new int[] {0, 1, 2}, SegmentMatching.byNames(List.of("a", "b", "rest"), PreviousSegments.NONE)
        .ids());
  }

  @Test
  void rulesKeepTheirIdsByNameWhateverTheirOrder() {
    PreviousSegments before = PreviousSegments.of("r1", Map.of(0, "champions", 1, "lapsed", 2, "others"),
        Optional.empty(), Map.of("champions", 0, "lapsed", 1, "others", 2), 4);
    SegmentIds ids = SegmentMatching.byNames(List.of("lapsed", "new_customers", "champions", "others"), before);
    assertArrayEquals(new int[] {1, 5, 0, 2}, ids.ids());
    assertArrayEquals(new boolean[] {true, false, true, true}, ids.kept());
  }

  @Test
  void aRuleWithoutMembersLastRunGetsTheIdItHadBefore() {
    // r2 had no "big" customers; r1 published "big" as id 3.
    PreviousSegments before = PreviousSegments.of("r2", Map.of(1, "repeat", 2, "one_off"), Optional.empty(),
        Map.of("big", 3, "repeat", 1, "one_off", 2), 3);
    SegmentIds ids = SegmentMatching.byNames(List.of("big", "repeat", "one_off"), before);
    assertArrayEquals(new int[] {3, 1, 2}, ids.ids());
    assertEquals(List.of("big", "repeat", "one_off"), ids.labels());
  }
}
