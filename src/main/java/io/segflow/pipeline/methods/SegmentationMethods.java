package io.segflow.pipeline.methods;

import io.segflow.dsl.model.BisectingKMeansSpec;
import io.segflow.dsl.model.KMeansSpec;
import io.segflow.dsl.model.RfmSpec;
import io.segflow.dsl.model.RulesSpec;
import io.segflow.dsl.model.SegmentationSpec;
import java.util.OptionalDouble;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;

/** The registry: the one place that knows which method a definition's {@code segmentation} names. */
public final class SegmentationMethods {
  /** The coder of a method's labels. */
  static final ListCoder<String> LABELS = ListCoder.of(StringUtf8Coder.of());

  private SegmentationMethods() {}

  public static SegmentationMethod of(SegmentationSpec spec) {
    if (spec instanceof KMeansSpec kmeans) {
      return new KMeansMethod(kmeans, OptionalDouble.empty());
    }
    if (spec instanceof BisectingKMeansSpec bisecting) {
      return new KMeansMethod(bisecting.kmeans(), OptionalDouble.of(bisecting.minDivisibleSize()));
    }
    if (spec instanceof RulesSpec rules) {
      return new RulesMethod(rules);
    }
    if (spec instanceof RfmSpec rfm) {
      return new RfmMethod(rfm);
    }
    throw new IllegalArgumentException("no segmentation method is registered for " + spec.getClass().getSimpleName());
  }
}
