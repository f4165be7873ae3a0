package io.segflow.dsl.env;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** An environment: bindings of logical sources, the sink, the default runner and the cloud settings. */
public record Environment(
    Path file,
    String displayPath,
    String name,
    Runner runner,
    Map<String, SourceBinding> sources,
    OutputBinding output,
    Optional<Gcp> gcp,
    Optional<Dataflow> dataflow) {
  public Environment {
    sources = Collections.unmodifiableMap(new LinkedHashMap<>(sources));
  }

  /** The project that runs BigQuery jobs, and a gs:// folder for temporary files. */
  public record Gcp(String project, String tempLocation) {}

  /** DataflowRunner settings. */
  public record Dataflow(String region, Optional<String> serviceAccount, Optional<String> stagingLocation,
      Optional<Integer> maxWorkers, Optional<String> machineType, Optional<String> subnetwork,
      Optional<String> launcherImage, Optional<String> templateFile) {}

  /** True if it has what every Dataflow job needs: gcp: (project, temp location) and dataflow: (region). */
  public boolean hasDataflowSettings() {
    return gcp.isPresent() && dataflow.isPresent();
  }

  /** True if a source, a stream's history or the output is in BigQuery. */
  public boolean usesBigQuery() {
    return output instanceof OutputBinding.BigQuery || sources.values().stream().anyMatch(b ->
        b instanceof SourceBinding.BigQuery
            || b instanceof SourceBinding.PubSub p && p.history().orElse(null) instanceof SourceBinding.BigQuery);
  }
}
