package io.segflow.pipeline;

import io.segflow.dsl.diag.Diagnostic;
import io.segflow.dsl.env.Environment;
import io.segflow.dsl.env.SourceBinding;
import io.segflow.dsl.model.SegmentDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * Valid definitions' BigQuery sources (tables, queries and their columns) checked against the service,
 * for {@code segflow validate}, where credentials allow; a run checks its own in {@link SegflowRun#prepare}.
 *
 * @param skipped why the BigQuery sources were not checked (no credentials); empty when checked or none
 * @param diagnostics located mismatches between the definitions and the tables
 * @param failures definitions whose sources could not be checked, with why
 */
public record LiveSourceCheck(Optional<String> skipped, List<Diagnostic> diagnostics, List<String> failures) {
  public LiveSourceCheck {
    diagnostics = List.copyOf(diagnostics);
    failures = List.copyOf(failures);
  }

  public static LiveSourceCheck of(List<SegmentDefinition> valid, Environment env) {
    if (env.sources().values().stream().noneMatch(b -> b instanceof SourceBinding.BigQuery)) {
      return new LiveSourceCheck(Optional.empty(), List.of(), List.of()); // nothing to check
    }
    Optional<String> missing = BigQueryRun.missingCredentials();
    if (missing.isPresent()) {
      return new LiveSourceCheck(missing, List.of(), List.of());
    }
    PipelineOptions options = BigQueryRun.withGcp(PipelineOptionsFactory.create(), env);
    List<Diagnostic> found = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    for (SegmentDefinition def : valid) {
      try {
        found.addAll(BigQueryRun.checkSources(def, env, options));
      } catch (Exception e) {
        failures.add(def.file() + ": " + e.getMessage());
      }
    }
    return new LiveSourceCheck(Optional.empty(), found, failures);
  }
}
