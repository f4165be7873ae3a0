package io.segflow.pipeline.methods;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.segflow.dsl.model.FeatureWords;
import io.segflow.transforms.points.ClusterModel;
import io.segflow.transforms.points.Preparation;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SegmentLabelsTest {
  private static final List<String> RFM = List.of("recency_days", "frequency", "monetary");
  private static final LabelWords WORDS = LabelWords.of(Map.of(
      "recency_days", new FeatureWords(Optional.of("recent"), Optional.of("lapsed")),
      "frequency", new FeatureWords(Optional.of("one-off"), Optional.of("frequent")),
      "monetary", new FeatureWords(Optional.of("low spend"), Optional.of("high spend"))));

  /** The demo's centroids (scaled): two segments stand out the same three ways, one of them far more. */
  @Test
  void segmentsThatStandOutAlikeAreToldApartByHowMuch() {
    double[][] centroids = {
        {-0.5995, 0.8674, 0.8688}, {1.7077, -0.7713, -0.7723}, {-0.3400, -0.7944, -0.9157}, {-0.3178, -0.1082, 0.1005},
        {-0.7788, 2.3211, 1.9029}};
    assertEquals(List.of("high spend, frequent, recent", "lapsed, low spend, one-off", "low spend, one-off", "typical",
        "very frequent, very high spend, recent"), SegmentLabels.of(model(centroids), WORDS));
  }

  @Test
  void withoutDeclaredWordsLabelsNameTheFeatures() {
    double[][] centroids = {{1.71, -0.77, -0.2}, {0.1, 0.2, 0.3}};
    assertEquals(List.of("high recency_days, low frequency", "typical"),
        SegmentLabels.of(model(centroids), LabelWords.NONE));
  }

  @Test
  void labelsStillAlikeGetANumber() {
    double[][] centroids = {{0.9, 0, 0}, {0.8, 0, 0}, {0, 0, 0}, {0.1, 0.1, 0}};
    assertEquals(List.of("lapsed", "lapsed (2)", "typical", "typical (2)"), SegmentLabels.of(model(centroids), WORDS));
  }

  private static ClusterModel model(double[][] centroids) {
    return new ClusterModel() {
      @Override public String entityField() { return "customer_id"; }
      @Override public List<String> features() { return RFM; }
      @Override public Preparation preparation() { throw new UnsupportedOperationException(); }
      @Override public double[][] centroids() { return centroids; }
      @Override public double[][] centroidsOriginalUnits() { throw new UnsupportedOperationException(); }
      @Override public long[] clusterSizes() { throw new UnsupportedOperationException(); }
      @Override public String toJson() { throw new UnsupportedOperationException(); }
    };
  }
}
