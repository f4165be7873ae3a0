package io.segflow.transforms.points;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A fit's preparation and a definition's features name the same space exactly when their axes are equal. */
class PreparationAxesTest {
  private static Preparation prepared(String name, FeatureTransform transform, double center) {
    return new Preparation(List.of(new Preparation.Feature(name, transform, Double.NEGATIVE_INFINITY,
        Double.POSITIVE_INFINITY, Double.NaN, center, 1)), Scaling.STANDARD, NullPolicy.REJECT);
  }

  @Test
  void theScalerDoesNotChangeTheSpaceButTheTransformDoes() {
    assertEquals(prepared("spend", FeatureTransform.LOG1P, 0).axes(), prepared("spend", FeatureTransform.LOG1P, 5).axes());
    assertNotEquals(prepared("spend", FeatureTransform.LOG1P, 0).axes(), prepared("spend", FeatureTransform.NONE, 0).axes());
    assertNotEquals(prepared("spend", FeatureTransform.NONE, 0).axes(), prepared("orders", FeatureTransform.NONE, 0).axes());
  }

  @Test
  void aFeatureSpecBecomesItsPreparationsAxis() {
    FeatureSpec spend = FeatureSpec.of("spend").withTransform(FeatureTransform.LOG1P).withClip(new Clip(0.01, 0.99));
    assertEquals(prepared("spend", FeatureTransform.LOG1P, 3).axes(), List.of(spend.axis()));
  }
}
