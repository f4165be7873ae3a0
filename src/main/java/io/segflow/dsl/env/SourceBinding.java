package io.segflow.dsl.env;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** The physical source a logical source name is bound to in one environment. */
public sealed interface SourceBinding permits SourceBinding.Files, SourceBinding.BigQuery {

  /** Whether a run may use no row of it; otherwise a source with none fails the run before publishing. */
  boolean allowEmpty();

  /** Delimited text or JSON lines; {@code path} is absolute, possibly a glob. */
  record Files(
      FileFormat format,
      Path path,
      char delimiter,
      List<String> nullValues,
      Optional<String> dateFormat,
      Optional<String> timestampFormat,
      String timeZone,
      boolean missingKeysAreNull,
      boolean allowEmpty,
      OptionalInt maxRecordBytes,
      Optional<String> eventTime)
      implements SourceBinding {
    public Files {
      nullValues = List.copyOf(nullValues);
    }
  }

  /** A table (read through the Storage Read API, or exported) or a query. */
  record BigQuery(Optional<String> table, Optional<String> rowFilter, Optional<String> query, Optional<String> location,
      ReadMethod readMethod, boolean allowEmpty) implements SourceBinding {}

  enum ReadMethod {
    DIRECT_READ,
    EXPORT
  }

  enum FileFormat {
    CSV,
    JSONL
  }
}
