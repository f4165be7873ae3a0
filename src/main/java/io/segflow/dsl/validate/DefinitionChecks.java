package io.segflow.dsl.validate;

import io.segflow.dsl.diag.Diagnostic;
import io.segflow.dsl.diag.DiagnosticCode;
import io.segflow.dsl.diag.Position;
import io.segflow.dsl.env.Environment;
import io.segflow.dsl.model.KMeansSpec;
import io.segflow.dsl.model.KSpec;
import io.segflow.dsl.model.RulesSpec;
import io.segflow.dsl.model.SegmentDefinition;
import io.segflow.dsl.yaml.YamlDocument;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The checks of meaning that need no SQL: segment names unique, a k sweep that is a range, every source
 * bound by the environment. (Checks against the features query's output live with the SQL planner.)
 */
public final class DefinitionChecks {
  private DefinitionChecks() {}

  public static List<Diagnostic> check(SegmentDefinition def, YamlDocument doc, Optional<Environment> env) {
    List<Diagnostic> out = new ArrayList<>();
    if (def.segmentation() instanceof RulesSpec rules) {
      checkSegmentNames(rules, doc, out);
    }
    if (def.segmentation() instanceof KMeansSpec kmeans && kmeans.k() instanceof KSpec.Sweep sweep
        && sweep.min() > sweep.max()) {
      out.add(Diagnostic.error(doc.displayPath(), doc.locate(List.of("segmentation", "k", "min")).node().start(),
          DiagnosticCode.K_SWEEP_RANGE, "segmentation.k",
          "min (" + sweep.min() + ") is greater than max (" + sweep.max() + ")"));
    }
    if (def.segmentation() instanceof KMeansSpec kmeans) {
      checkTransforms(kmeans, doc, out);
    }
    checkParameterDefaults(def, doc, out);
    env.ifPresent(e -> checkBindings(def, doc, e, out));
    return out;
  }

  private static void checkParameterDefaults(SegmentDefinition def, YamlDocument doc, List<Diagnostic> out) {
    def.parameters().values().forEach(p -> {
      try {
        ParameterValues.canonical(p.type(), p.defaultValue());
      } catch (IllegalArgumentException e) {
        out.add(Diagnostic.error(doc.displayPath(), doc.locate(List.of("parameters", p.name(), "default")).node().start(),
            DiagnosticCode.PARAMETER_VALUE, "parameters." + p.name() + ".default", e.getMessage()
                + ", as parameters." + p.name() + ".type says"));
      }
    });
  }

  private static void checkTransforms(KMeansSpec kmeans, YamlDocument doc, List<Diagnostic> out) {
    kmeans.transforms().forEach((feature, spec) -> {
      if (!kmeans.features().contains(feature)) {
        YamlDocument.Located at = doc.locate(List.of("segmentation", "transform", feature));
        out.add(Diagnostic.error(doc.displayPath(), at.keyOrStart(), DiagnosticCode.TRANSFORM_NOT_A_FEATURE,
            "segmentation.transform." + feature, "'" + feature + "' is not in segmentation.features ("
                + String.join(", ", kmeans.features()) + "); transforms apply to the features k-means uses"));
      }
      spec.clip().filter(c -> !(c.lower() < c.upper())).ifPresent(c -> {
        YamlDocument.Located at = doc.locate(List.of("segmentation", "transform", feature, "clip"));
        out.add(Diagnostic.error(doc.displayPath(), at.node().start(), DiagnosticCode.CLIP_RANGE,
            "segmentation.transform." + feature + ".clip", "the lower quantile (" + c.lower()
                + ") must be below the upper (" + c.upper() + "), e.g. [0.01, 0.99]"));
      });
    });
  }

  private static void checkSegmentNames(RulesSpec rules, YamlDocument doc, List<Diagnostic> out) {
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
  }

  private static void checkBindings(SegmentDefinition def, YamlDocument doc, Environment env, List<Diagnostic> out) {
    for (String source : def.sources().keySet()) {
      if (!env.sources().containsKey(source)) {
        YamlDocument.Located at = doc.locate(List.of("sources", source));
        out.add(Diagnostic.error(doc.displayPath(), at.keyOrStart(), DiagnosticCode.SOURCE_NOT_BOUND,
            "sources." + source, "environment '" + env.name() + "' (" + env.displayPath()
                + ") does not bind source '" + source + "'; add a binding for it under sources:"));
      }
    }
  }
}
