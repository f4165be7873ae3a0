package io.segflow.pipeline.methods;

import io.segflow.dsl.model.KMeansSpec;
import io.segflow.transforms.points.Clip;
import io.segflow.transforms.points.FeatureSpec;
import io.segflow.transforms.points.FeatureTransform;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A definition's features with their transforms and clips, as every distance-based transform takes them. */
final class FeatureSpecs {
  private FeatureSpecs() {}

  static List<FeatureSpec> of(List<String> names, Map<String, KMeansSpec.TransformSpec> transforms) {
    List<FeatureSpec> features = new ArrayList<>();
    for (String name : names) {
      FeatureSpec f = FeatureSpec.of(name);
      KMeansSpec.TransformSpec t = transforms.get(name);
      if (t != null) {
        f = f.withTransform(FeatureTransform.valueOf(t.apply().name()));
        if (t.clip().isPresent()) {
          f = f.withClip(new Clip(t.clip().get().lower(), t.clip().get().upper()));
        }
      }
      features.add(f);
    }
    return features;
  }
}
