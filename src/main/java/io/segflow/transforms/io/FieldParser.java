package io.segflow.transforms.io;

import java.io.Serializable;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.Locale;
import java.util.Optional;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.logicaltypes.SqlTypes;

/**
 * Turns field text into the value a Beam schema field holds, strictly: "12.0" is not an INT64, "yes" is
 * not a BOOL. A value that does not fit throws {@link BadValue} with a reason for the rejects output.
 */
final class FieldParser implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Why a value does not fit its field. */
  static final class BadValue extends Exception {
    private static final long serialVersionUID = 1L;

    BadValue(String reason) {
      super(reason, null, false, false);
    }
  }

  private final String datePattern;
  private final String timestampPattern;
  private final String timeZone;
  private transient DateTimeFormatter dateFormat;
  private transient DateTimeFormatter timestampFormat;
  private transient ZoneId zone;
  // The patterns' shapes when they are fixed-width, read by position before the formatters (see there).
  private transient Optional<FixedWidthDateTime> dateShape;
  private transient Optional<FixedWidthDateTime> timestampShape;
  // The last timestamp parsed and its text: the lines of one order share it, and parsing a timestamp costs
  // more than reading the rest of the line. A parser belongs to one DoFn instance, so one thread.
  private transient String lastTimestampText;
  private transient org.joda.time.Instant lastTimestamp;

  /** Patterns are java.time patterns, or null for ISO 8601. */
  FieldParser(String datePattern, String timestampPattern, String timeZone) {
    this.datePattern = datePattern;
    this.timestampPattern = timestampPattern;
    this.timeZone = timeZone;
    // Fail at construction, where the pipeline is built, not on the first value.
    formats();
  }

  private void formats() {
    if (zone == null) {
      zone = ZoneId.of(timeZone);
      dateFormat = datePattern == null ? DateTimeFormatter.ISO_LOCAL_DATE : strict(datePattern);
      timestampFormat = timestampPattern == null ? null : strict(timestampPattern);
      dateShape = FixedWidthDateTime.of(datePattern == null ? "uuuu-MM-dd" : datePattern);
      timestampShape = timestampPattern == null ? Optional.empty() : FixedWidthDateTime.of(timestampPattern);
    }
  }

  /**
   * A strict formatter: the default (smart) resolver reads 2011-06-31 as June 30. Strict resolving needs
   * the proleptic year (u) rather than the year of era (y).
   */
  private static DateTimeFormatter strict(String pattern) {
    return DateTimeFormatter.ofPattern(pattern.replace('y', 'u'), Locale.ROOT).withResolverStyle(ResolverStyle.STRICT);
  }

  Object parse(String text, Schema.Field field) throws BadValue {
    formats();
    Schema.FieldType type = field.getType();
    String t = text.trim();
    try {
      switch (type.getTypeName()) {
        case STRING:
          return text;
        case INT64:
          return Long.parseLong(t);
        case INT32:
          return Integer.parseInt(t);
        case DOUBLE:
          return finiteDouble(t, text, field);
        case DECIMAL:
          return new BigDecimal(t);
        case BOOLEAN:
          if (t.equalsIgnoreCase("true")) {
            return true;
          }
          if (t.equalsIgnoreCase("false")) {
            return false;
          }
          throw new BadValue(describe(text, field) + " is not a BOOL (true or false)");
        case DATETIME:
          if (!t.equals(lastTimestampText)) {
            OffsetDateTime parsed = timestamp(t);
            inRange(parsed.atZoneSameInstant(java.time.ZoneOffset.UTC).getYear(), text, field, "TIMESTAMP");
            lastTimestamp = org.joda.time.Instant.ofEpochMilli(parsed.toInstant().toEpochMilli());
            lastTimestampText = t;
          }
          return lastTimestamp;
        case LOGICAL_TYPE:
          if (SqlTypes.DATE.getIdentifier().equals(type.getLogicalType().getIdentifier())) {
            LocalDate date = dateShape.flatMap(shape -> shape.date(t)).orElseGet(() -> LocalDate.parse(t, dateFormat));
            inRange(date.getYear(), text, field, "DATE");
            return date;
          }
          throw new IllegalArgumentException("unsupported field type " + type + " of " + field.getName());
        default:
          throw new IllegalArgumentException("unsupported field type " + type + " of " + field.getName());
      }
    } catch (NumberFormatException | java.time.DateTimeException e) { // parse errors and out-of-range instants
      throw new BadValue(describe(text, field) + " is not " + expected(field));
    }
  }

  /**
   * A decimal number that is a finite FLOAT64. Java's parser also takes NaN, Infinity, hexadecimal and a
   * trailing d or f, and turns 1e400 into Infinity; none of them is a value k-means, a profile or BigQuery
   * can hold, so each is a reject naming what it is.
   */
  private static double finiteDouble(String t, String text, Schema.Field field) throws BadValue {
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      if (!(c >= '0' && c <= '9') && c != '.' && c != '-' && c != '+' && c != 'e' && c != 'E') {
        String word = t.replaceFirst("^[+-]", "").toLowerCase(Locale.ROOT);
        throw new BadValue(describe(text, field) + (word.equals("nan") || word.startsWith("inf")
            ? " is not a finite FLOAT64 (NaN and infinities are not values; leave the field empty for none)"
            : " is not a FLOAT64"));
      }
    }
    double value = Double.parseDouble(t);
    if (Double.isInfinite(value)) {
      throw new BadValue(describe(text, field) + " is beyond the range of a FLOAT64 (about ±1.8e308)");
    }
    return value;
  }

  /**
   * BigQuery's DATE and TIMESTAMP hold the years 1 to 9999; Java parses far beyond, where a timestamp's
   * milliseconds overflow a long. A year outside is a reject, not a crash of the read.
   */
  private static void inRange(int year, String text, Schema.Field field, String type) throws BadValue {
    if (year < 1 || year > 9999) {
      throw new BadValue(describe(text, field) + " is outside the range of a " + type
          + " (years 0001 to 9999)");
    }
  }

  private OffsetDateTime timestamp(String t) {
    if (timestampFormat != null) {
      return timestampShape.flatMap(shape -> shape.dateTime(t))
          .orElseGet(() -> LocalDateTime.parse(t, timestampFormat)).atZone(zone).toOffsetDateTime();
    }
    Optional<OffsetDateTime> withOffset = FixedWidthDateTime.isoWithOffset(t);
    if (withOffset.isPresent()) {
      return withOffset.get();
    }
    Optional<LocalDateTime> local = t.length() == 19 && t.charAt(10) == ' '
        ? FixedWidthDateTime.ISO_LOCAL.dateTime(t.replace(' ', 'T')) : FixedWidthDateTime.ISO_LOCAL.dateTime(t);
    if (local.isPresent()) {
      return local.get().atZone(zone).toOffsetDateTime();
    }
    try {
      return OffsetDateTime.parse(t);
    } catch (DateTimeParseException withoutZone) {
      return LocalDateTime.parse(t.replace(' ', 'T')).atZone(zone).toOffsetDateTime();
    }
  }

  private String expected(Schema.Field field) {
    return switch (field.getType().getTypeName()) {
      case INT64, INT32 -> "an INT64";
      case DOUBLE -> "a FLOAT64";
      case DECIMAL -> "a NUMERIC";
      case DATETIME -> "a TIMESTAMP" + (timestampPattern == null ? " (ISO 8601)" : " (" + timestampPattern + ")");
      default -> "a DATE" + (datePattern == null ? " (yyyy-MM-dd)" : " (" + datePattern + ")");
    };
  }

  private static String describe(String text, Schema.Field field) {
    String shown = text.length() > 40 ? text.substring(0, 37) + "..." : text;
    return field.getName() + " '" + shown + "'";
  }
}
