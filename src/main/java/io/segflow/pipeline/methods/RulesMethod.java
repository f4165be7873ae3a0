package io.segflow.pipeline.methods;

import io.segflow.compile.SegflowSql;
import io.segflow.dsl.model.RuleSpec;
import io.segflow.dsl.model.RulesSpec;
import io.segflow.transforms.rules.Rules;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;

/** {@code method: rules}: ordered SQL predicates; each segment is named by its rule, the rest by the default. */
final class RulesMethod implements SegmentationMethod {
  private final RulesSpec spec;

  RulesMethod(RulesSpec spec) {
    this.spec = spec;
  }

  @Override
  public Segmented segment(PCollection<Row> features, MethodContext context) {
    List<Rules.Rule> compiled = compiled(spec.rules(), context);
    PCollection<List<String>> labels = labels(features, compiled, spec.defaultSegment());
    // Without a list of its own, a rules segmentation profiles every numeric feature.
    List<String> profiled = (spec.features().isEmpty() ? numericColumns(features.getSchema()) : spec.features())
        .stream().filter(f -> !f.equals(context.entity())).distinct().toList();
    PCollection<Row> assignments = features.apply("Segment[rules]",
        Rules.evaluate(context.entity(), compiled, spec.defaultSegment()).withFields(profiled, Segmented.PROFILED_PREFIX));
    return new Segmented(assignments, labels, profiled, Optional.empty(), Optional.empty(), "rules", assignments, List.of(), false);
  }

  @Override
  public boolean segmentsEachRowAlone() {
    return true;
  }

  @Override
  public java.util.Map<String, String> descriptions() {
    return described(spec.rules());
  }

  /** The rules as the transform takes them, their parameters replaced by the run's values. */
  static List<Rules.Rule> compiled(List<RuleSpec> rules, MethodContext context) {
    return rules.stream().map(r -> new Rules.Rule(r.segment(),
        SegflowSql.rewrite(r.when().text(), context.literals()).text())).toList();
  }

  /** The labels of ordered rules: each rule's segment by its position, then the default's. */
  static PCollection<List<String>> labels(PCollection<Row> features, List<Rules.Rule> rules, String defaultSegment) {
    List<String> names = new ArrayList<>(rules.stream().map(Rules.Rule::segment).toList());
    names.add(defaultSegment);
    return features.getPipeline()
        .apply("Labels", Create.of(Collections.singletonList(List.copyOf(names))).withCoder(SegmentationMethods.LABELS));
  }

  /** The rules' descriptions by segment, those that have one. */
  static java.util.Map<String, String> described(List<RuleSpec> rules) {
    java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
    rules.stream().filter(r -> !r.description().isBlank()).forEach(r -> out.put(r.segment(), r.description().strip()));
    return out;
  }

  private static List<String> numericColumns(Schema schema) {
    return schema.getFields().stream().filter(f -> f.getType().getTypeName().isNumericType())
        .map(Schema.Field::getName).toList();
  }
}
