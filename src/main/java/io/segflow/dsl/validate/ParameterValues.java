package io.segflow.dsl.validate;

import io.segflow.dsl.model.ColumnType;
import io.segflow.dsl.model.ParameterSpec;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Parameter values as written (a default, or {@code --param name=value}) to their canonical text: the
 * one form per type that SQL literals and run records use. A value that does not fit its type is an
 * {@link IllegalArgumentException} whose message says what was expected.
 */
public final class ParameterValues {
  private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("uuuu-MM-dd", Locale.ROOT)
      .withResolverStyle(ResolverStyle.STRICT);
  private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss[.SSSSSS][.SSS]",
      Locale.ROOT).withResolverStyle(ResolverStyle.STRICT);
  private static final DateTimeFormatter CANONICAL_TIMESTAMP =
      DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSS", Locale.ROOT);

  private ParameterValues() {}

  /**
   * The instant a canonical DATE (its midnight) or TIMESTAMP value stands for, in UTC, as Beam SQL reads
   * its literal.
   */
  public static java.time.Instant instant(ColumnType type, String canonical) {
    LocalDateTime at = switch (type) {
      case DATE -> LocalDate.parse(canonical, DATE).atStartOfDay();
      case TIMESTAMP -> LocalDateTime.parse(canonical, CANONICAL_TIMESTAMP);
      default -> throw new IllegalArgumentException(type + " is not a time");
    };
    return at.toInstant(java.time.ZoneOffset.UTC);
  }

  /** The canonical text of {@code value} as a {@code type}. */
  public static String canonical(ColumnType type, String value) {
    String v = value.trim();
    try {
      return switch (type) {
        case STRING -> value;
        case INT64 -> Long.toString(Long.parseLong(v));
        case FLOAT64 -> {
          double d = Double.parseDouble(v);
          if (Double.isNaN(d) || Double.isInfinite(d)) {
            throw new NumberFormatException();
          }
          yield Double.toString(d);
        }
        case NUMERIC -> new BigDecimal(v).toPlainString();
        case BOOL -> switch (v.toLowerCase(Locale.ROOT)) {
          case "true" -> "true";
          case "false" -> "false";
          default -> throw new NumberFormatException();
        };
        case DATE -> LocalDate.parse(v, DATE).toString();
        case TIMESTAMP -> CANONICAL_TIMESTAMP.format(v.length() == 10
            ? LocalDate.parse(v, DATE).atStartOfDay()
            : LocalDateTime.parse(v.replace('T', ' '), TIMESTAMP));
      };
    } catch (NumberFormatException | DateTimeParseException e) {
      throw new IllegalArgumentException("'" + value + "' is not " + expected(type));
    }
  }

  /** What a value of the type looks like, for messages. */
  public static String expected(ColumnType type) {
    return switch (type) {
      case STRING -> "a string";
      case INT64 -> "an integer (INT64), e.g. 90";
      case FLOAT64 -> "a finite number (FLOAT64), e.g. 0.25";
      case NUMERIC -> "a decimal number (NUMERIC), e.g. 100.00";
      case BOOL -> "true or false (BOOL)";
      case DATE -> "a date (DATE) written yyyy-MM-dd, e.g. 2011-12-10";
      case TIMESTAMP -> "a timestamp (TIMESTAMP, UTC) written yyyy-MM-dd or yyyy-MM-dd HH:mm:ss, e.g. 2011-12-10 00:00:00";
    };
  }

  /**
   * Every parameter's canonical value: the override where there is one, else the default.
   *
   * @throws IllegalArgumentException naming the parameter, for an unknown name or a value that does not fit
   */
  public static Map<String, String> resolve(Map<String, ParameterSpec> parameters, Map<String, String> overrides) {
    for (String name : overrides.keySet()) {
      if (!parameters.containsKey(name)) {
        throw new IllegalArgumentException("--param " + name + ": the definition has no parameter '" + name + "'"
            + (parameters.isEmpty() ? "" : "; it declares " + String.join(", ", parameters.keySet())));
      }
    }
    Map<String, String> values = new LinkedHashMap<>();
    parameters.forEach((name, spec) -> {
      String given = overrides.getOrDefault(name, spec.defaultValue());
      try {
        values.put(name, canonical(spec.type(), given));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException((overrides.containsKey(name) ? "--param " : "parameter ") + name + ": "
            + e.getMessage());
      }
    });
    return values;
  }
}
