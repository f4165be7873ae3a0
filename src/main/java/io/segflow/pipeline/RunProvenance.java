package io.segflow.pipeline;

import io.segflow.dsl.model.SegmentDefinition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What produced a run, for its run.json and report: the definition as it was when the run started (its
 * file may change or go before anyone reads the report, so this is taken before the pipeline runs), its
 * method, the features SQL, and the versions of segflow, Beam and Java.
 */
final class RunProvenance {
  private RunProvenance() {}

  static Map<String, Object> of(SegmentDefinition def) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("definition_file", def.file().toString());
    out.put("method", io.segflow.dsl.methods.MethodSyntaxes.name(def.segmentation()));
    out.put("definition_text", read(def));
    out.put("features_sql", def.features().sql().text());
    out.put("feature_descriptions", new java.util.TreeMap<>(def.features().columnDocs()));
    out.put("versions", Versions.of());
    return out;
  }

  /** The definition's text; null for a definition that was never a file (built in a test). */
  private static String read(SegmentDefinition def) {
    if (!Files.isRegularFile(def.file())) {
      return null;
    }
    try {
      return Files.readString(def.file());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the definition " + def.file() + " again for run.json", e);
    }
  }
}
