package io.segflow.pipeline.methods;

import io.segflow.dsl.model.RfmSpec;
import io.segflow.transforms.coders.UserTypeSerializableCoder;
import io.segflow.transforms.rfm.RfmModel;
import io.segflow.transforms.rfm.RfmScores;
import io.segflow.transforms.rules.Rules;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * {@code method: rfm}: quantile scores of recency, frequency and monetary, then the first of the ordered
 * segments (the definition's rules over the scores, or the classic map) that holds; the scores are profiled
 * per segment and kept in the members.
 */
final class RfmMethod implements SegmentationMethod {
  private final RfmSpec spec;

  RfmMethod(RfmSpec spec) {
    this.spec = spec;
  }

  @Override
  public Segmented segment(PCollection<Row> features, MethodContext context) {
    RfmScores.Result scores = features.apply("Scores[rfm]",
        RfmScores.of(context.entity(), spec.recency(), spec.frequency(), spec.monetary()).withBins(spec.bins()));
    List<Rules.Rule> rules = rules(spec, context);
    PCollection<List<String>> labels = RulesMethod.labels(features, rules, spec.defaultSegment());
    List<String> profiled = new ArrayList<>(spec.features().stream().filter(f -> !f.equals(context.entity())).toList());
    RfmScores.SCORE_FIELDS.stream().filter(s -> !profiled.contains(s)).forEach(profiled::add);
    PCollection<Row> assignments = scores.scored().apply("Segment[rfm]",
        Rules.evaluate(context.entity(), rules, spec.defaultSegment()).withFields(profiled, Segmented.PROFILED_PREFIX));
    // The scores' bounds in the measures' units are the model: published, so marketers can read what a score means.
    List<String> measures = List.of(spec.recency(), spec.frequency(), spec.monetary());
    PCollection<RfmModel> model = scores.thresholds().apply("Model[rfm]",
        MapElements.into(TypeDescriptor.of(RfmModel.class)).via(t -> new RfmModel(measures, t)))
        .setCoder(UserTypeSerializableCoder.of(RfmModel.class));
    return new Segmented(assignments, labels, profiled, Optional.of(SegmentationMethods.asFittedModel(model)),
        Optional.of(scores.rejects()), "rfm",
        assignments, RfmScores.SCORE_FIELDS, false);
  }

  @Override
  public java.util.Map<String, String> descriptions() {
    if (!spec.segments().isEmpty()) {
      return RulesMethod.described(spec.segments());
    }
    java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
    RfmSpec.CLASSIC.forEach(s -> out.put(s.segment(), s.description()));
    // The map leaves score combinations uncovered (as the R package's does); say so rather than nothing.
    out.put(spec.defaultSegment(), "Scores in none of the classic map's ranges: look at the three scores.");
    return out;
  }

  /** The definition's segments over the scores, or the classic map. */
  static List<Rules.Rule> rules(RfmSpec spec, MethodContext context) {
    return spec.segments().isEmpty()
        ? RfmSpec.CLASSIC.stream().map(s -> new Rules.Rule(s.segment(), s.when())).toList()
        : RulesMethod.compiled(spec.segments(), context);
  }
}
