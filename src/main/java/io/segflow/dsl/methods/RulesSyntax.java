package io.segflow.dsl.methods;

import io.segflow.dsl.diag.Diagnostic;
import io.segflow.dsl.diag.DiagnosticCode;
import io.segflow.dsl.diag.Position;
import io.segflow.dsl.model.RuleSpec;
import io.segflow.dsl.model.RulesSpec;
import io.segflow.dsl.model.SqlText;
import io.segflow.dsl.yaml.SqlOrigins;
import io.segflow.dsl.yaml.YamlDocument;
import io.segflow.dsl.yaml.YamlFields;
import io.segflow.dsl.yaml.YamlNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code method: rules}: ordered SQL conditions, first match wins, the rest to the default segment. */
final class RulesSyntax implements MethodSyntax<RulesSpec> {
  @Override
  public String method() {
    return "rules";
  }

  @Override
  public Class<RulesSpec> specType() {
    return RulesSpec.class;
  }

  @Override
  public RulesSpec load(YamlDocument doc, YamlNode.Mapping seg) {
    List<RuleSpec> rules = new ArrayList<>();
    for (YamlNode item : ((YamlNode.Sequence) YamlFields.node(seg, "rules").orElseThrow()).items()) {
      YamlNode.Mapping rule = (YamlNode.Mapping) item;
      YamlNode.Scalar when = (YamlNode.Scalar) YamlFields.node(rule, "when").orElseThrow();
      rules.add(new RuleSpec(
          YamlFields.requiredString(rule, "segment"),
          new SqlText(when.value(), SqlOrigins.of(doc, when)),
          YamlFields.string(rule, "description").orElse("")));
    }
    return new RulesSpec(YamlFields.strings(seg, "features"), rules,
        YamlFields.string(seg, "default").orElse(RulesSpec.DEFAULT_SEGMENT));
  }

  /** Each segment is named once, by one rule or as the default. */
  @Override
  public List<Diagnostic> check(RulesSpec rules, YamlDocument doc) {
    List<Diagnostic> out = new ArrayList<>();
    Map<String, Integer> first = new HashMap<>();
    for (int i = 0; i < rules.rules().size(); i++) {
      String segment = rules.rules().get(i).segment();
      Integer earlier = first.putIfAbsent(segment, i);
      if (earlier != null) {
        YamlDocument.Located at = doc.locate(List.of("segmentation", "rules", i, "segment"));
        out.add(Diagnostic.error(doc.displayPath(), at.node().start(), DiagnosticCode.DUPLICATE_SEGMENT,
            "segmentation.rules[" + i + "].segment", "segment '" + segment + "' is already assigned by rule "
                + earlier + "; give each rule its own segment, or merge the conditions with OR"));
      }
    }
    Integer clash = first.get(rules.defaultSegment());
    if (clash != null) {
      YamlDocument.Located explicitDefault = doc.locate(List.of("segmentation", "default"));
      boolean explicit = explicitDefault.complete();
      Position at = explicit ? explicitDefault.node().start()
          : doc.locate(List.of("segmentation", "rules", clash, "segment")).node().start();
      out.add(Diagnostic.error(doc.displayPath(), at, DiagnosticCode.DUPLICATE_SEGMENT,
          explicit ? "segmentation.default" : "segmentation.rules[" + clash + "].segment",
          "segment '" + rules.defaultSegment() + "' is both a rule's segment and the default segment; "
              + "rename one (the default is 'others' unless segmentation.default says otherwise)"));
    }
    return out;
  }

  /** The profiled features, of any type; the conditions' columns are checked when they are planned. */
  @Override
  public List<RequiredColumn> requiredColumns(RulesSpec rules) {
    return RequiredColumn.features(rules.features(), Optional.empty());
  }

  @Override
  public List<Condition> conditions(RulesSpec rules) {
    List<Condition> out = new ArrayList<>();
    for (int i = 0; i < rules.rules().size(); i++) {
      out.add(new Condition(rules.rules().get(i).when(), "segmentation.rules[" + i + "].when"));
    }
    return out;
  }
}
