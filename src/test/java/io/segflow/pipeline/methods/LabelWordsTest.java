package io.segflow.pipeline.methods;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.segflow.dsl.model.FeatureWords;
import java.util.Map;
import java.util.Optional;
import org.apache.beam.sdk.util.SerializableUtils;
import org.junit.jupiter.api.Test;

class LabelWordsTest {
  private final LabelWords words = LabelWords.of(Map.of(
      "recency_days", new FeatureWords(Optional.of("recent"), Optional.of("lapsed")),
      "coupons", new FeatureWords(Optional.empty(), Optional.of("coupon users"))));

  @Test
  void declaredWordsReplaceLowAndHigh() {
    assertEquals("recent", words.describe("recency_days", false));
    assertEquals("lapsed", words.describe("recency_days", true));
    assertEquals("coupon users", words.describe("coupons", true));
  }

  @Test
  void withoutWordsALabelSaysLowOrHighAndTheFeature() {
    assertEquals("low coupons", words.describe("coupons", false), "only high was declared");
    assertEquals("high monetary", words.describe("monetary", true));
    assertEquals("low monetary", LabelWords.NONE.describe("monetary", false));
  }

  @Test
  void travelsToTheWorkers() {
    assertEquals(words, SerializableUtils.clone(words));
  }
}
