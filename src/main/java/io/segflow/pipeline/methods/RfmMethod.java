package io.segflow.pipeline.methods;

import io.segflow.compile.SegflowSql;
import io.segflow.dsl.model.RfmSpec;
import io.segflow.dsl.model.RuleSpec;
import io.segflow.transforms.rfm.RfmScores;
import io.segflow.transforms.rules.Rules;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;

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
    List<String> names = new ArrayList<>(rules.stream().map(Rules.Rule::segment).toList());
    names.add(spec.defaultSegment());
    PCollection<List<String>> labels = features.getPipeline()
        .apply("Labels", Create.of(Collections.singletonList(List.copyOf(names))).withCoder(SegmentationMethods.LABELS));
    List<String> profiled = new ArrayList<>(spec.features().stream().filter(f -> !f.equals(context.entity())).toList());
    RfmSpec.SCORES.stream().filter(s -> !profiled.contains(s)).forEach(profiled::add);
    PCollection<Row> assignments = scores.scored().apply("Segment[rfm]",
        Rules.evaluate(context.entity(), rules, spec.defaultSegment()).withFields(profiled, Segmented.PROFILED_PREFIX));
    return new Segmented(assignments, labels, profiled, Optional.empty(), Optional.of(scores.rejects()), "rfm",
        assignments, RfmSpec.SCORES);
  }

  @Override
  public java.util.Map<String, String> descriptions() {
    if (!spec.segments().isEmpty()) {
      return RulesMethod.described(spec.segments());
    }
    java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
    RfmSpec.CLASSIC.forEach(s -> out.put(s.segment(), s.description()));
    return out;
  }

  /** The definition's segments over the scores, or the classic map. */
  static List<Rules.Rule> rules(RfmSpec spec, MethodContext context) {
    if (spec.segments().isEmpty()) {
      return RfmSpec.CLASSIC.stream().map(s -> new Rules.Rule(s.segment(), s.when())).toList();
    }
    List<Rules.Rule> out = new ArrayList<>();
    for (RuleSpec rule : spec.segments()) {
      out.add(new Rules.Rule(rule.segment(), SegflowSql.rewrite(rule.when().text(), context.literals()).text()));
    }
    return out;
  }
}
