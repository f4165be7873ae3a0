package io.segflow.dsl.model;

import java.util.List;

/** Ordered rules, first match wins; the rest go to {@code defaultSegment}. */
public record RulesSpec(List<String> features, List<RuleSpec> rules, String defaultSegment)
    implements SegmentationSpec {
  public RulesSpec {
    features = List.copyOf(features);
    rules = List.copyOf(rules);
  }
}
