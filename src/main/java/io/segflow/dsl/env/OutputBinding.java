package io.segflow.dsl.env;

import java.nio.file.Path;
import java.util.Optional;

/** Where runs write their results in one environment. */
public sealed interface OutputBinding permits OutputBinding.Files, OutputBinding.BigQuery {
  /** A local folder, plus the DuckDB file the runs are published into. */
  record Files(Path path, Path warehouse) implements OutputBinding {}

  record BigQuery(String dataset, Optional<String> location) implements OutputBinding {}
}
