package io.segflow.dsl.methods;

import io.segflow.dsl.diag.Diagnostic;
import io.segflow.dsl.diag.DiagnosticCode;
import io.segflow.dsl.diag.Position;
import io.segflow.dsl.model.RuleSpec;
import io.segflow.dsl.model.RulesSpec;
import io.segflow.dsl.model.SqlText;
import io.segflow.dsl.yaml.SqlOrigins;
import io.segflow.dsl.schema.SchemaDefaults;
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
  private static final SchemaDefaults DEFAULTS = SchemaDefaults.of("rules");

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
    return new RulesSpec(YamlFields.strings(seg, "features"), rules(doc, seg, "rules"),
        DEFAULTS.stringIn(seg, "default"));
  }

  /** The ordered rules under {@code key} of the segmentation block; none where it is absent. */
  static List<RuleSpec> rules(YamlDocument doc, YamlNode.Mapping seg, String key) {
    List<RuleSpec> rules = new ArrayList<>();
    YamlNode list = YamlFields.node(seg, key).orElse(null);
    if (list == null) {
      return rules;
    }
    for (YamlNode item : ((YamlNode.Sequence) list).items()) {
      YamlNode.Mapping rule = (YamlNode.Mapping) item;
      YamlNode.Scalar when = (YamlNode.Scalar) YamlFields.node(rule, "when").orElseThrow();
      rules.add(new RuleSpec(
          YamlFields.requiredString(rule, "segment"),
          new SqlText(when.value(), SqlOrigins.of(doc, when)),
          YamlFields.string(rule, "description").orElse("")));
    }
    return rules;
  }

  @Override
  public List<Diagnostic> check(RulesSpec rules, YamlDocument doc) {
    return segmentsNamedOnce(rules.rules(), rules.defaultSegment(), doc, "rules");
  }

  /** Each segment is named once, by one rule (under {@code key}) or as the default. */
  static List<Diagnostic> segmentsNamedOnce(List<RuleSpec> rules, String defaultSegment, YamlDocument doc,
      String key) {
    List<Diagnostic> out = new ArrayList<>();
    Map<String, Integer> first = new HashMap<>();
    for (int i = 0; i < rules.size(); i++) {
      String segment = rules.get(i).segment();
      Integer earlier = first.putIfAbsent(segment, i);
      if (earlier != null) {
        YamlDocument.Located at = doc.locate(List.of("segmentation", key, i, "segment"));
        out.add(Diagnostic.error(doc.displayPath(), at.node().start(), DiagnosticCode.DUPLICATE_SEGMENT,
            "segmentation." + key + "[" + i + "].segment", "segment '" + segment + "' is already assigned by rule "
                + earlier + "; give each rule its own segment, or merge the conditions with OR"));
      }
    }
    Integer clash = first.get(defaultSegment);
    if (clash != null) {
      YamlDocument.Located explicitDefault = doc.locate(List.of("segmentation", "default"));
      boolean explicit = explicitDefault.complete();
      Position at = explicit ? explicitDefault.node().start()
          : doc.locate(List.of("segmentation", key, clash, "segment")).node().start();
      out.add(Diagnostic.error(doc.displayPath(), at, DiagnosticCode.DUPLICATE_SEGMENT,
          explicit ? "segmentation.default" : "segmentation." + key + "[" + clash + "].segment",
          "segment '" + defaultSegment + "' is both a rule's segment and the default segment; "
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
    return conditions(rules.rules(), "rules");
  }

  /** The rules' conditions, located under {@code key} of the segmentation block. */
  static List<Condition> conditions(List<RuleSpec> rules, String key) {
    List<Condition> out = new ArrayList<>();
    for (int i = 0; i < rules.size(); i++) {
      out.add(new Condition(rules.get(i).when(), "segmentation." + key + "[" + i + "].when"));
    }
    return out;
  }
}
