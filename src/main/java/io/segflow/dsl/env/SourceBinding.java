package io.segflow.dsl.env;

import java.nio.file.Path;
import java.time.Duration;
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

  /**
   * How the text of a file's fields or a message's JSON values becomes typed values: what reads as NULL,
   * the date and timestamp patterns and their zone, and whether a JSON key left out reads as NULL.
   */
  record Typing(List<String> nullValues, Optional<String> dateFormat, Optional<String> timestampFormat,
      String timeZone, boolean missingKeysAreNull) {
    public Typing {
      nullValues = List.copyOf(nullValues);
    }

    /** The defaults: an empty field is NULL, ISO dates and timestamps in UTC, a missing key a reject. */
    public static Typing defaults() {
      return new Typing(List.of(""), Optional.empty(), Optional.empty(), "UTC", false);
    }
  }

  /** Where the rows come from, in a line for people (segflow plan). */
  String describe();

  /** A duration as the environment file writes it: 30s, 5m, 2h, 400d. */
  private static String text(Duration d) {
    long seconds = d.getSeconds();
    for (Object[] unit : new Object[][] {{86_400L, "d"}, {3_600L, "h"}, {60L, "m"}}) {
      if (seconds % (long) unit[0] == 0) {
        return seconds / (long) unit[0] + (String) unit[1];
      }
    }
    return seconds + "s";
  }

  /** Delimited text or JSON lines; {@code path} is absolute, possibly a glob. */
  record Files(
      FileFormat format,
      Path path,
      char delimiter,
      Typing typing,
      boolean allowEmpty,
      OptionalInt maxRecordBytes,
      Optional<String> eventTime)
      implements SourceBinding {
    @Override
    public String describe() {
      return format.name().toLowerCase(java.util.Locale.ROOT) + " " + path + eventTime.map(t -> "; event time " + t)
          .orElse("");
    }
  }

  /**
   * A Pub/Sub subscription whose messages are events, each a JSON object with the source's columns:
   * {@code segflow stream} only. The event time is a column ({@code eventTime}), else the message's
   * {@code timestampAttribute}, else its publish time; {@code idAttribute} names the attribute a
   * redelivered event repeats, which the runner de-duplicates by. An event more than
   * {@code allowedLateness} older than its customer's latest is a reject; without one, every event counts.
   * {@code history} (files or BigQuery) holds the events before the stream's, which the stream's state
   * starts from. {@code reevaluate} re-evaluates a quiet customer as time moves their features.
   */
  record PubSub(String subscription, Optional<String> eventTime, Optional<String> timestampAttribute,
      Optional<String> idAttribute, Optional<Duration> allowedLateness, Typing typing, Optional<SourceBinding> history,
      Optional<Reevaluation> reevaluate) implements SourceBinding {
    @Override
    public boolean allowEmpty() {
      return true; // a stream starts with no event
    }

    @Override
    public boolean isEventSource() {
      return true;
    }

    @Override
    public String describe() {
      return "pubsub " + subscription + "; event time "
          + eventTime.or(() -> timestampAttribute.map(a -> "attribute " + a)).orElse("the publish time")
          + idAttribute.map(a -> "; ids in attribute " + a).orElse("")
          + allowedLateness.map(d -> "; late after " + SourceBinding.text(d)).orElse("")
          + reevaluate.map(r -> "; re-evaluated every " + SourceBinding.text(r.every()) + " for "
              + SourceBinding.text(r.horizon())).orElse("")
          + history.map(h -> "; history from " + h.describe()).orElse("");
    }
  }

  /** A quiet customer re-evaluated {@code every} so long, until {@code horizon} after their latest event. */
  record Reevaluation(Duration every, Duration horizon) {
    /** How long after a customer's latest event when {@code for} is not given. */
    public static final Duration DEFAULT_HORIZON = Duration.ofDays(365);
  }

  /** A table (read through the Storage Read API, or exported) or a query. */
  record BigQuery(Optional<String> table, Optional<String> rowFilter, Optional<String> query, Optional<String> location,
      ReadMethod readMethod, boolean allowEmpty) implements SourceBinding {
    @Override
    public String describe() {
      return "bigquery " + table.map(t -> "table " + t + rowFilter.map(w -> " where " + w).orElse("")).orElse("query")
          + " (" + readMethod.name().toLowerCase(java.util.Locale.ROOT) + ")";
    }
  }

  enum ReadMethod {
    DIRECT_READ,
    EXPORT
  }

  enum FileFormat {
    CSV,
    JSONL
  }
}
