package io.segflow.dsl.env;

import java.nio.file.Path;
import java.util.Optional;

/** Where runs write their results in one environment. */
public sealed interface OutputBinding permits OutputBinding.Files, OutputBinding.BigQuery {
  /** {@code segflow stream}: the Pub/Sub topic each change of segment is published to, for activation tools. */
  Optional<String> changesTopic();

  /** A local folder, plus the DuckDB file the runs are published into. */
  record Files(Path path, Path warehouse, Optional<String> changesTopic) implements OutputBinding {
    public Files(Path path, Path warehouse) {
      this(path, warehouse, Optional.empty());
    }
  }

  record BigQuery(String dataset, Optional<String> location, Optional<String> changesTopic) implements OutputBinding {
    public BigQuery(String dataset, Optional<String> location) {
      this(dataset, location, Optional.empty());
    }
  }
}
