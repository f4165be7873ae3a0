package io.segflow.compile;

import io.segflow.dsl.diag.Diagnostic;
import io.segflow.dsl.diag.DiagnosticCode;
import io.segflow.dsl.methods.MethodSyntaxes;
import io.segflow.dsl.methods.RequiredColumn;
import io.segflow.dsl.model.SegmentDefinition;
import io.segflow.dsl.schema.DidYouMean;
import io.segflow.dsl.yaml.YamlDocument;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.schemas.Schema;

/** Checks what a definition says about its features against the schema the features query produces. */
final class FeatureOutputChecks {
  private FeatureOutputChecks() {}

  static List<Diagnostic> check(SegmentDefinition def, YamlDocument doc, Schema output) {
    List<Diagnostic> out = new ArrayList<>();
    String file = doc.displayPath();
    List<String> columns = output.getFieldNames();
    String available = "; the query outputs: " + String.join(", ", columns);

    if (!output.hasField(def.entity())) {
      out.add(Diagnostic.error(file, doc.locate(List.of("entity")).node().start(),
          DiagnosticCode.ENTITY_NOT_IN_FEATURES, "entity",
          "'" + def.entity() + "' is not a column of the features query" + suggestion(def.entity(), columns) + available));
    } else {
      Schema.FieldType type = output.getField(def.entity()).getType();
      Schema.TypeName name = type.getTypeName();
      if (name != Schema.TypeName.STRING && name != Schema.TypeName.INT64 && name != Schema.TypeName.INT32 && name != Schema.TypeName.INT16) {
        out.add(Diagnostic.warning(file, doc.locate(List.of("entity")).node().start(), DiagnosticCode.ENTITY_TYPE,
            "entity", "'" + def.entity() + "' is " + BeamSchemas.displayName(type)
                + "; keys should be STRING or INT64 (cast it in the features SQL)"));
      }
    }

    for (RequiredColumn required : MethodSyntaxes.requiredColumns(def.segmentation())) {
      var at = doc.locate(required.path()).node().start();
      String column = required.column();
      if (!output.hasField(column)) {
        out.add(Diagnostic.error(file, at, DiagnosticCode.FEATURE_NOT_IN_FEATURES, required.field(),
            "'" + column + "' is not a column of the features query" + suggestion(column, columns) + available));
      } else if (required.numericBecause().isPresent() && !BeamSchemas.isNumeric(output.getField(column).getType())) {
        out.add(Diagnostic.error(file, at, DiagnosticCode.FEATURE_NOT_NUMERIC, required.field(),
            "'" + column + "' is " + BeamSchemas.displayName(output.getField(column).getType()) + "; "
                + required.numericBecause().get()));
      }
    }

    for (String documented : def.features().columnDocs().keySet()) {
      if (!output.hasField(documented)) {
        var at = doc.locate(List.of("features", "columns", documented)).keyOrStart();
        out.add(Diagnostic.warning(file, at, DiagnosticCode.UNKNOWN_DOCUMENTED_COLUMN, "features.columns." + documented,
            "documents '" + documented + "', which the query does not output" + suggestion(documented, columns)));
      }
    }

    for (int i = 0; i < columns.size(); i++) {
      if (columns.get(i).matches("EXPR\\$\\d+")) {
        out.add(Diagnostic.warning(file, def.features().sql().origin().map(1, 1), DiagnosticCode.UNNAMED_OUTPUT_COLUMN,
            "features.sql", "output column " + (i + 1) + " has no name (Beam SQL calls it " + columns.get(i)
                + "); give it one with AS"));
      }
    }
    return out;
  }

  static String suggestion(String typed, List<String> known) {
    return DidYouMean.closest(typed, known).map(s -> " (did you mean '" + s + "'?)").orElse("");
  }
}
