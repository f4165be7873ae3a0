package io.segflow.transforms.io;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * Reads dates and timestamps whose text has one fixed shape (four-digit year, two-digit month, day, hour,
 * minute, second, and separators at fixed places: {@code yyyy-MM-dd HH:mm:ss}, ISO 8601 without fractions)
 * by position, which is what most exports write. java.time's formatter took most of the time spent reading
 * Online Retail's lines; this takes a few percent of it. It is only a shortcut: a text it does not take
 * (another shape, a field out of range, a date that does not exist) returns empty, and the caller reads it
 * with the formatter, so what is accepted, rejected and said about it stays the formatter's.
 */
final class FixedWidthDateTime {
  /** The fields' letters in a java.time pattern (y read as u), in the order of {@link #values}. */
  private static final String SLOTS = "uMdHms";

  /** A field of the shape: its place in {@link #values}, where its digits start, how many. */
  private record Field(int slot, int at, int width) {}

  private final Field[] fields;
  private final String literals; // the shape's text, with the fields' places as '0'
  private final boolean time; // all six fields, not only the date's three

  private FixedWidthDateTime(Field[] fields, String literals) {
    this.fields = fields;
    this.literals = literals;
    this.time = fields.length == SLOTS.length();
  }

  /** The ISO 8601 local shape, {@code uuuu-MM-ddTHH:mm:ss}. */
  static final FixedWidthDateTime ISO_LOCAL = of("uuuu-MM-dd'T'HH:mm:ss").orElseThrow();

  /**
   * The shape of a java.time pattern made of {@code uuuu} or {@code yyyy}, {@code MM}, {@code dd}, and, for a
   * timestamp, {@code HH}, {@code mm}, {@code ss}, each once, between separators that are not letters
   * (quoted letters too); empty for any other pattern, which the formatter alone reads.
   */
  static Optional<FixedWidthDateTime> of(String pattern) {
    java.util.List<Field> found = new java.util.ArrayList<>();
    StringBuilder shape = new StringBuilder();
    for (int i = 0; i < pattern.length(); ) {
      char c = pattern.charAt(i);
      if (c == '\'') {
        int close = pattern.indexOf('\'', i + 1);
        if (close != i + 2) {
          return Optional.empty(); // only a single quoted character, e.g. 'T'
        }
        shape.append(pattern.charAt(i + 1));
        i = close + 1;
      } else if (Character.isLetter(c)) {
        int end = i;
        while (end < pattern.length() && pattern.charAt(end) == c) {
          end++;
        }
        int slot = SLOTS.indexOf(c == 'y' ? 'u' : c);
        int width = end - i;
        if (slot < 0 || width != (slot == 0 ? 4 : 2) || found.stream().anyMatch(f -> f.slot() == slot)) {
          return Optional.empty();
        }
        found.add(new Field(slot, shape.length(), width));
        shape.append("0".repeat(width));
        i = end;
      } else if (c >= '0' && c <= '9' || "[]{}#".indexOf(c) >= 0) {
        return Optional.empty(); // a literal digit would read as a field's place; optional sections vary
      } else {
        shape.append(c);
        i++;
      }
    }
    // Each slot at most once: the date's three (slots 0-2), or all six.
    boolean date = found.size() == 3 && found.stream().allMatch(f -> f.slot() < 3);
    return date || found.size() == SLOTS.length()
        ? Optional.of(new FixedWidthDateTime(found.toArray(Field[]::new), shape.toString())) : Optional.empty();
  }

  /** The date, if the text has this (date) shape and names a date that exists. */
  Optional<LocalDate> date(String text) {
    int[] v = values(text);
    if (v == null || time) {
      return Optional.empty();
    }
    try {
      return Optional.of(LocalDate.of(v[0], v[1], v[2]));
    } catch (DateTimeException e) {
      return Optional.empty();
    }
  }

  /** The local date and time, if the text has this (timestamp) shape and names a time that exists. */
  Optional<LocalDateTime> dateTime(String text) {
    int[] v = values(text);
    if (v == null || !time) {
      return Optional.empty();
    }
    try {
      return Optional.of(LocalDateTime.of(v[0], v[1], v[2], v[3], v[4], v[5]));
    } catch (DateTimeException e) {
      return Optional.empty();
    }
  }

  /**
   * An ISO 8601 timestamp with its offset: the local shape then {@code Z} or {@code ±HH:MM}, as
   * {@code OffsetDateTime.parse} reads it.
   */
  static Optional<OffsetDateTime> isoWithOffset(String text) {
    int local = ISO_LOCAL.literals.length();
    if (text.length() == local + 1 && text.charAt(local) == 'Z') {
      return ISO_LOCAL.dateTime(text.substring(0, local)).map(t -> OffsetDateTime.of(t, ZoneOffset.UTC));
    }
    if (text.length() != local + 6 || text.charAt(local + 3) != ':'
        || (text.charAt(local) != '+' && text.charAt(local) != '-')) {
      return Optional.empty();
    }
    int hours = twoDigits(text, local + 1);
    int minutes = twoDigits(text, local + 4);
    if (hours < 0 || minutes < 0) {
      return Optional.empty();
    }
    int sign = text.charAt(local) == '-' ? -1 : 1;
    try {
      ZoneOffset offset = ZoneOffset.ofHoursMinutes(sign * hours, sign * minutes);
      return ISO_LOCAL.dateTime(text.substring(0, local)).map(t -> OffsetDateTime.of(t, offset));
    } catch (DateTimeException e) {
      return Optional.empty();
    }
  }

  /** Year, month, day, hour, minute, second (0 where the shape has none), or null if the text is not of it. */
  private int[] values(String text) {
    if (text.length() != literals.length()) {
      return null;
    }
    for (int i = 0; i < text.length(); i++) {
      char s = literals.charAt(i);
      char c = text.charAt(i);
      if (s == '0' ? c < '0' || c > '9' : c != s) {
        return null;
      }
    }
    int[] v = new int[6];
    for (Field f : fields) {
      int value = 0;
      for (int i = f.at(); i < f.at() + f.width(); i++) {
        value = value * 10 + text.charAt(i) - '0';
      }
      v[f.slot()] = value;
    }
    return v;
  }

  private static int twoDigits(String text, int at) {
    char a = text.charAt(at);
    char b = text.charAt(at + 1);
    return a < '0' || a > '9' || b < '0' || b > '9' ? -1 : (a - '0') * 10 + (b - '0');
  }
}
