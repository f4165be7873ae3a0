package io.segflow.pipeline.methods;

import io.segflow.dsl.model.KMeansSpec;
import io.segflow.dsl.model.KSpec;
import io.segflow.transforms.kmeans.Clip;
import io.segflow.transforms.kmeans.EmptyClusterPolicy;
import io.segflow.transforms.kmeans.FeatureSpec;
import io.segflow.transforms.kmeans.FeatureTransform;
import io.segflow.transforms.kmeans.Init;
import io.segflow.transforms.kmeans.KMeans;
import io.segflow.transforms.kmeans.KMeansResult;
import io.segflow.transforms.kmeans.NullPolicy;
import io.segflow.transforms.kmeans.Scaling;
import io.segflow.transforms.kmeans.SelectionCriterion;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptors;

/** {@code method: kmeans}: segflow's distributed k-means; segments labelled from how their centroids stand out. */
final class KMeansMethod implements SegmentationMethod {
  private final KMeansSpec spec;

  KMeansMethod(KMeansSpec spec) {
    this.spec = spec;
  }

  @Override
  public Segmented segment(PCollection<Row> features, MethodContext context) {
    KMeansResult fit = features.apply("Segment[kmeans]", fit(context.entity(), spec)
        .withFeaturesInAssignments(Segmented.PROFILED_PREFIX));
    PCollection<List<String>> labels = fit.model()
        .apply("Labels", MapElements.into(TypeDescriptors.lists(TypeDescriptors.strings())).via(SegmentLabels::of))
        .setCoder(SegmentationMethods.LABELS);
    return new Segmented(fit.assignments(), labels, spec.features(), Optional.of(fit.model()),
        Optional.of(fit.rejects()), "k-means model", fit.model());
  }

  /** The definition's k-means options, as the transform takes them. */
  static KMeans.Fit fit(String entity, KMeansSpec k) {
    List<FeatureSpec> features = new ArrayList<>();
    for (String name : k.features()) {
      FeatureSpec f = FeatureSpec.of(name);
      KMeansSpec.TransformSpec t = k.transforms().get(name);
      if (t != null) {
        f = f.withTransform(FeatureTransform.valueOf(t.apply().name()));
        if (t.clip().isPresent()) {
          f = f.withClip(new Clip(t.clip().get().lower(), t.clip().get().upper()));
        }
      }
      features.add(f);
    }
    KMeans.Fit fit = KMeans.fit().withEntityField(entity).withFeatures(features).withSeed(k.seed())
        .withScaling(Scaling.valueOf(k.scaling().name()))
        .withNullPolicy(NullPolicy.valueOf(k.nulls().name()))
        .withInit(Init.valueOf(k.init().name()))
        .withRestarts(k.restarts()).withMaxIterations(k.maxIterations()).withTolerance(k.tolerance())
        .withRefinementPasses(k.refinementPasses()).withSampleSize(k.sampleSize())
        .withEmptyClusterPolicy(EmptyClusterPolicy.valueOf(k.emptyCluster().name()));
    fit = k.weights().map(fit::withWeightField).orElse(fit);
    if (k.k() instanceof KSpec.Sweep sweep) {
      return fit.withKSweep(sweep.min(), sweep.max(), SelectionCriterion.valueOf(sweep.select().name()));
    }
    return fit.withK(((KSpec.Fixed) k.k()).k());
  }
}
