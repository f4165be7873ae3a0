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
final class RejectedRecord {
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
}
