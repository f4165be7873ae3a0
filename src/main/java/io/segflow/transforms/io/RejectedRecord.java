package io.segflow.transforms.io;

import java.util.List;
import java.util.StringJoiner;
import java.util.function.IntFunction;
import org.apache.beam.sdk.schemas.Schema;

/**
 * What a reject keeps of its record: the declared fields as read, less the personal ones, on one line
 * ({@code name=value, ...}, as {@link RowText}). Undeclared columns are never kept: a file's other columns
 * may hold personal data nobody declared. A record whose fields cannot be told apart keeps nothing; its
 * file and line say where it is.
 */
public final class RejectedRecord {
  private RejectedRecord() {}

  /** @param text the declared field {@code f}'s text as read, or null when absent */
  static String of(Schema schema, List<String> personal, IntFunction<String> text) {
    StringJoiner line = new StringJoiner(", ");
    for (int f = 0; f < schema.getFieldCount(); f++) {
      String name = schema.getField(f).getName();
      if (!personal.contains(name)) {
        String value = text.apply(f);
        line.add(name + "=" + (value == null ? "NULL" : value));
      }
    }
    return line.toString();
  }

  /**
   * The text {@link #of} kept for field {@code name}, or empty when it kept none (a personal field, a
   * record whose fields could not be told apart, or an absent field) or when the record could be read two
   * ways (a value that itself holds {@code ", name="}): a caller deciding what to withhold must not be fooled.
   */
  public static java.util.Optional<String> field(String record, Schema schema, List<String> personal, String name) {
    List<String> kept = schema.getFieldNames().stream().filter(f -> !personal.contains(f)).toList();
    int at = kept.indexOf(name);
    if (at < 0) {
      return java.util.Optional.empty();
    }
    String start = name + "=";
    int from = at == 0 ? (record.startsWith(start) ? 0 : -1) : once(record, ", " + start);
    if (from < 0 || (at == 0 && record.contains(", " + start))) {
      return java.util.Optional.empty();
    }
    from += at == 0 ? start.length() : start.length() + 2;
    int to = at + 1 < kept.size() ? once(record, ", " + kept.get(at + 1) + "=") : record.length();
    if (to < from) {
      return java.util.Optional.empty();
    }
    String text = record.substring(from, to);
    return text.equals("NULL") ? java.util.Optional.empty() : java.util.Optional.of(text);
  }

  /** Where {@code part} is in {@code text} if it is there exactly once, else -1. */
  private static int once(String text, String part) {
    int first = text.indexOf(part);
    return first >= 0 && text.indexOf(part, first + 1) < 0 ? first : -1;
  }
}
