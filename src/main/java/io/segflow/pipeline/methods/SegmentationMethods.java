package io.segflow.pipeline.methods;

import io.segflow.dsl.model.BisectingKMeansSpec;
import io.segflow.dsl.model.DbscanSpec;
import io.segflow.dsl.model.KMeansSpec;
import io.segflow.dsl.model.RfmSpec;
import io.segflow.dsl.model.RulesSpec;
import io.segflow.dsl.model.SegmentationSpec;
import io.segflow.transforms.coders.UserTypeSerializableCoder;
import io.segflow.transforms.model.FittedModel;
import java.util.OptionalDouble;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptor;

/** The registry: the one place that knows which method a definition's {@code segmentation} names. */
public final class SegmentationMethods {
  /** The coder of a method's labels. */
  static final ListCoder<String> LABELS = ListCoder.of(StringUtf8Coder.of());

  private SegmentationMethods() {}

  /**
   * A method's own model as the pipeline handles every model: published as JSON, and, when it clusters
   * points ({@link io.segflow.transforms.points.ClusterModel}), matched to the previous run's by its centres.
   */
  static PCollection<FittedModel> asFittedModel(PCollection<? extends FittedModel> model) {
    return model.apply("AsFittedModel", MapElements.into(TypeDescriptor.of(FittedModel.class)).via(m -> m))
        .setCoder(UserTypeSerializableCoder.of(FittedModel.class));
  }

  public static SegmentationMethod of(SegmentationSpec spec) {
    if (spec instanceof KMeansSpec kmeans) {
      return new KMeansMethod(kmeans, OptionalDouble.empty());
    }
    if (spec instanceof BisectingKMeansSpec bisecting) {
      return new KMeansMethod(bisecting.kmeans(), OptionalDouble.of(bisecting.minDivisibleSize()));
    }
    if (spec instanceof DbscanSpec dbscan) {
      return new DbscanMethod(dbscan);
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
