package io.segflow.pipeline.methods;

import io.segflow.dsl.model.KMeansSpec;
import io.segflow.dsl.model.KSpec;
import io.segflow.pipeline.refresh.PreviousSegments;
import io.segflow.transforms.kmeans.EmptyClusterPolicy;
import io.segflow.transforms.points.FeatureSpec;
import io.segflow.transforms.kmeans.Init;
import io.segflow.transforms.kmeans.KMeans;
import io.segflow.transforms.kmeans.KMeansModel;
import io.segflow.transforms.kmeans.KMeansResult;
import io.segflow.transforms.points.NullPolicy;
import io.segflow.transforms.points.Scaling;
import io.segflow.transforms.kmeans.SelectionCriterion;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * {@code method: kmeans} and {@code method: bisecting_kmeans}: segflow's distributed k-means, flat or as the
 * leaves of a bisecting tree; segments labelled from how their centroids stand out.
 */
final class KMeansMethod implements SegmentationMethod {
  private final KMeansSpec spec;
  private final OptionalDouble bisectingMinDivisibleSize;

  /** @param bisectingMinDivisibleSize present for bisecting k-means: the smallest segment it splits */
  KMeansMethod(KMeansSpec spec, OptionalDouble bisectingMinDivisibleSize) {
    this.spec = spec;
    this.bisectingMinDivisibleSize = bisectingMinDivisibleSize;
  }

  @Override
  public Segmented segment(PCollection<Row> features, MethodContext context) {
    KMeans.Fit fit = fit(context.entity(), spec).withFeaturesInAssignments(Segmented.PROFILED_PREFIX);
    boolean bisecting = bisectingMinDivisibleSize.isPresent();
    if (bisecting) {
      fit = fit.withBisecting(bisectingMinDivisibleSize.getAsDouble());
    }
    if (spec.refresh().warmStart()) {
      fit = warmStart(spec, context.previous()).map(fit::withWarmStart).orElse(fit);
    }
    KMeansResult result = features.apply(bisecting ? "Segment[bisecting_kmeans]" : "Segment[kmeans]", fit);
    LabelWords words = context.words();
    PCollection<List<String>> labels = result.model()
        .apply("Labels", MapElements.into(TypeDescriptors.lists(TypeDescriptors.strings())).via(model -> SegmentLabels.of(model, words)))
        .setCoder(SegmentationMethods.LABELS);
    return new Segmented(result.assignments(), labels, spec.features(),
        Optional.of(SegmentationMethods.asFittedModel(result.model())),
        Optional.of(result.rejects()), bisecting ? "bisecting k-means model" : "k-means model", result.model(),
        List.of(), bisecting);
  }

  @Override
  public boolean assignsWithPublishedModel() {
    return true;
  }

  @Override
  public java.util.Map<Integer, String> segmentNames() {
    return spec.refresh().segmentNames();
  }

  @Override
  public Optional<String> startFrom(PreviousSegments previous) {
    if (!spec.refresh().warmStart() || previous.isFirstRun()) {
      return Optional.empty(); // a first run has nothing to start from, and nothing to say about it
    }
    if (!(previous.model() instanceof KMeansModel before)) {
      return Optional.of("no warm start: run " + previous.runId() + " has no k-means model");
    }
    if (warmStart(spec, previous).isEmpty()) {
      return Optional.of("no warm start: run " + previous.runId() + " prepared other features or transforms");
    }
    int k = before.k();
    boolean fits = spec.k() instanceof KSpec.Fixed fixed ? fixed.k() == k
        : k >= ((KSpec.Sweep) spec.k()).min() && k <= ((KSpec.Sweep) spec.k()).max();
    return Optional.of(fits ? "warm start from the " + k + " centroids of run " + previous.runId()
        : "no warm start: run " + previous.runId() + " had k = " + k + ", which this fit does not try");
  }

  @Override
  public DriftLimits driftLimits() {
    return new DriftLimits(spec.refresh().maxCentroidShift(), spec.refresh().maxFeaturePsi());
  }

  /** The features with their transforms and clips, as the transform takes them. */
  private static List<FeatureSpec> features(KMeansSpec k) {
    return FeatureSpecs.of(k.features(), k.transforms());
  }

  /**
   * The previous run's centroids in transformed units, when it prepared the same features with the same
   * transforms (a start in another space would mean nothing); empty for a first run or changed features.
   */
  static Optional<double[][]> warmStart(KMeansSpec spec, PreviousSegments previous) {
    if (!(previous.model() instanceof KMeansModel model)) {
      return Optional.empty();
    }
    boolean sameSpace = model.preparation().axes().equals(features(spec).stream().map(FeatureSpec::axis).toList());
    return sameSpace ? Optional.of(previous.transformedCentroids()) : Optional.empty();
  }

  /** The definition's k-means options, as the transform takes them. */
  static KMeans.Fit fit(String entity, KMeansSpec k) {
    KMeans.Fit fit = KMeans.fit().withEntityField(entity).withFeatures(features(k)).withSeed(k.seed())
        .withScaling(Scaling.valueOf(k.scaling().name()))
        .withNullPolicy(NullPolicy.valueOf(k.nulls().name()))
        .withInit(Init.valueOf(k.init().name()))
        .withRestarts(k.restarts()).withMaxIterations(k.maxIterations()).withTolerance(k.tolerance())
        .withRefinementPasses(k.refinementPasses()).withSampleSize(k.sampleSize())
        .withEmptyClusterPolicy(EmptyClusterPolicy.valueOf(k.emptyCluster().name()));
    fit = k.weights().map(fit::withWeightField).orElse(fit);
    if (k.k() instanceof KSpec.Sweep sweep) {
      fit = fit.withKSweep(sweep.min(), sweep.max(), SelectionCriterion.valueOf(sweep.select().name()));
      return sweep.minSegmentShare() > 0 ? fit.withMinSegmentShare(sweep.minSegmentShare()) : fit;
    }
    return fit.withK(((KSpec.Fixed) k.k()).k());
  }
}
