package io.segflow.dsl.env;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** The physical source a logical source name is bound to in one environment. */
public sealed interface SourceBinding permits SourceBinding.Files, SourceBinding.BigQuery, SourceBinding.PubSub {

  /** Whether a run may use no row of it; otherwise a source with none fails the run before publishing. */
  boolean allowEmpty();

  /** The column holding each row's event time, when {@code segflow stream} takes its rows as events. */
  default Optional<String> eventTime() {
    return Optional.empty();
  }

  /** Whether {@code segflow stream} takes this source's rows as its events. */
  default boolean isEventSource() {
    return eventTime().isPresent();
  }

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

  /**
   * A Pub/Sub subscription whose messages are events, each a JSON object with the source's columns:
   * {@code segflow stream} only. The event time is a column ({@code eventTime}), else the message's
   * {@code timestampAttribute}, else its publish time; {@code idAttribute} names the attribute a
   * redelivered event repeats, which the runner de-duplicates by.
   */
  record PubSub(String subscription, Optional<String> eventTime, Optional<String> timestampAttribute,
      Optional<String> idAttribute, List<String> nullValues, Optional<String> dateFormat,
      Optional<String> timestampFormat, String timeZone, boolean missingKeysAreNull) implements SourceBinding {
    public PubSub {
      nullValues = List.copyOf(nullValues);
    }

    @Override
    public boolean allowEmpty() {
      return true; // a stream starts with no event
    }

    @Override
    public boolean isEventSource() {
      return true;
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
