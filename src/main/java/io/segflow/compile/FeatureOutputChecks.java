package io.segflow.compile;

import io.segflow.dsl.diag.Diagnostic;
import io.segflow.dsl.diag.DiagnosticCode;
import io.segflow.dsl.model.KMeansSpec;
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

    List<String> features = def.segmentation().features();
    for (int i = 0; i < features.size(); i++) {
      String feature = features.get(i);
      var at = doc.locate(List.of("segmentation", "features", i)).node().start();
      String field = "segmentation.features[" + i + "]";
      if (!output.hasField(feature)) {
        out.add(Diagnostic.error(file, at, DiagnosticCode.FEATURE_NOT_IN_FEATURES, field,
            "'" + feature + "' is not a column of the features query" + suggestion(feature, columns) + available));
      } else if (def.segmentation() instanceof KMeansSpec
          && !BeamSchemas.isNumeric(output.getField(feature).getType())) {
        out.add(Diagnostic.error(file, at, DiagnosticCode.FEATURE_NOT_NUMERIC, field,
            "'" + feature + "' is " + BeamSchemas.displayName(output.getField(feature).getType())
                + "; k-means needs numeric features (INT64, FLOAT64 or NUMERIC)"));
      }
    }

    if (def.segmentation() instanceof KMeansSpec kmeans && kmeans.weights().isPresent()) {
      String weights = kmeans.weights().get();
      var at = doc.locate(List.of("segmentation", "weights")).node().start();
      if (!output.hasField(weights)) {
        out.add(Diagnostic.error(file, at, DiagnosticCode.FEATURE_NOT_IN_FEATURES, "segmentation.weights",
            "'" + weights + "' is not a column of the features query" + suggestion(weights, columns) + available));
      } else if (!BeamSchemas.isNumeric(output.getField(weights).getType())) {
        out.add(Diagnostic.error(file, at, DiagnosticCode.FEATURE_NOT_NUMERIC, "segmentation.weights",
            "'" + weights + "' is " + BeamSchemas.displayName(output.getField(weights).getType())
                + "; weights must be numeric"));
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
