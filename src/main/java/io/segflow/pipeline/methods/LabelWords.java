package io.segflow.pipeline.methods;

import io.segflow.dsl.model.FeatureWords;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;

/**
 * The words a definition declares for a segment low or high on a feature, which generated labels use
 * ("recent, frequent, high spend") instead of "low recency_days"; where none is declared, "low" or "high"
 * and the feature's name. Serializable: labels are made inside the pipeline.
 */
public record LabelWords(Map<String, String> low, Map<String, String> high) implements Serializable {
  public static final LabelWords NONE = new LabelWords(Map.of(), Map.of());

  public LabelWords {
    low = Map.copyOf(low);
    high = Map.copyOf(high);
  }

  public static LabelWords of(Map<String, FeatureWords> declared) {
    Map<String, String> low = new HashMap<>();
    Map<String, String> high = new HashMap<>();
    declared.forEach((feature, words) -> {
      words.low().ifPresent(w -> low.put(feature, w));
      words.high().ifPresent(w -> high.put(feature, w));
    });
    return new LabelWords(low, high);
  }

  /** How a label says that a segment stands out on {@code feature}, above the mean or below it. */
  public String describe(String feature, boolean above) {
    String declared = (above ? high : low).get(feature);
    return declared != null ? declared : (above ? "high " : "low ") + feature;
  }
}
