package io.segflow.pipeline.methods;

import io.segflow.dsl.model.DbscanSpec;
import io.segflow.transforms.density.Dbscan;
import io.segflow.transforms.density.DbscanResult;
import io.segflow.transforms.points.NullPolicy;
import io.segflow.transforms.points.Scaling;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * {@code method: dbscan}: the dense regions of the scaled space are segments, labelled from how their
 * centres stand out; entities in none are the noise segment, -1 in every run.
 */
final class DbscanMethod implements SegmentationMethod {
  private final DbscanSpec spec;

  DbscanMethod(DbscanSpec spec) {
    this.spec = spec;
  }

  @Override
  public Segmented segment(PCollection<Row> features, MethodContext context) {
    DbscanResult result = features.apply("Segment[dbscan]", fit(context.entity(), spec)
        .withFeaturesInAssignments(Segmented.PROFILED_PREFIX));
    LabelWords words = context.words();
    PCollection<List<String>> labels = result.model()
        .apply("Labels", MapElements.into(TypeDescriptors.lists(TypeDescriptors.strings())).via(model -> SegmentLabels.of(model, words)))
        .setCoder(SegmentationMethods.LABELS);
    return new Segmented(result.assignments(), labels, spec.features(),
        Optional.of(SegmentationMethods.asFittedModel(result.model())), Optional.of(result.rejects()),
        "DBSCAN model", result.model(), List.of(), false);
  }

  @Override
  public Map<Integer, String> segmentNames() {
    return spec.refresh().segmentNames();
  }

  @Override
  public DriftLimits driftLimits() {
    return new DriftLimits(spec.refresh().maxCentroidShift(), spec.refresh().maxFeaturePsi());
  }

  /** The definition's DBSCAN options, as the transform takes them. */
  static Dbscan.Fit fit(String entity, DbscanSpec spec) {
    Dbscan.Fit fit = Dbscan.fit().withEntityField(entity).withFeatures(FeatureSpecs.of(spec.features(), spec.transforms())).withSeed(spec.seed())
        .withScaling(Scaling.valueOf(spec.scaling().name()))
        .withNullPolicy(NullPolicy.valueOf(spec.nulls().name()))
        .withSampleSize(spec.sampleSize())
        .withMinPoints(spec.minPoints());
    return spec.eps().isPresent() ? fit.withEps(spec.eps().getAsDouble()) : fit.withAutoEps();
  }
}
