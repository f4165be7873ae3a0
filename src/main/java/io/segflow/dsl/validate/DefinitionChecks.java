package io.segflow.dsl.validate;

import io.segflow.dsl.diag.Diagnostic;
import io.segflow.dsl.diag.DiagnosticCode;
import io.segflow.dsl.env.Environment;
import io.segflow.dsl.methods.MethodSyntaxes;
import io.segflow.dsl.model.SegmentDefinition;
import io.segflow.dsl.yaml.YamlDocument;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The checks of meaning that need no SQL: segment names unique, a k sweep that is a range, every source
 * bound by the environment. (Checks against the features query's output live with the SQL planner.)
 */
public final class DefinitionChecks {
  private DefinitionChecks() {}

  public static List<Diagnostic> check(SegmentDefinition def, YamlDocument doc, Optional<Environment> env) {
    List<Diagnostic> out = new ArrayList<>();
    out.addAll(MethodSyntaxes.check(def.segmentation(), doc));
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
