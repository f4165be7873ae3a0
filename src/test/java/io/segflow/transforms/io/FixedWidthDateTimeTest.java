package io.segflow.transforms.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.ResolverStyle;
import java.time.temporal.TemporalQuery;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The shortcut may only ever agree with java.time's strict formatter: every text it takes, the formatter
 * takes, with the same value; and it must take the texts of its shape the formatter takes, or it saves
 * nothing. Checked on random texts of each shape, most of them dates that do not exist or are mangled.
 */
class FixedWidthDateTimeTest {
  private static final String[] TIMESTAMPS = {"yyyy-MM-dd HH:mm:ss", "dd/MM/yyyy HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss",
      "MM/dd/uuuu HH.mm.ss"};
  private static final String[] DATES = {"yyyy-MM-dd", "dd.MM.yyyy", "MM/dd/yyyy"};
  private final Random random = new Random(11);

  @Test
  void timestampsAreReadAsTheStrictFormatterReadsThem() {
    for (String pattern : TIMESTAMPS) {
      FixedWidthDateTime shape = FixedWidthDateTime.of(pattern).orElseThrow();
      agree(pattern, shape::dateTime, LocalDateTime::from);
    }
  }

  @Test
  void datesAreReadAsTheStrictFormatterReadsThem() {
    for (String pattern : DATES) {
      FixedWidthDateTime shape = FixedWidthDateTime.of(pattern).orElseThrow();
      agree(pattern, shape::date, LocalDate::from);
      assertEquals(Optional.empty(), shape.dateTime("2011-12-01"), "a date shape reads no timestamp");
    }
  }

  @Test
  void isoTimestampsWithAnOffsetAreReadAsOffsetDateTimeParseReadsThem() {
    String[] offsets = {"Z", "+01:00", "-05:30", "+00:00", "-00:00", "+18:00", "+19:00", "-18:01", "+1:00", "+01:0x",
        "+0100", "z"};
    int taken = 0;
    for (int i = 0; i < 20_000; i++) {
      String text = randomText("uuuu-MM-dd'T'HH:mm:ss".replace("'", "")) + offsets[random.nextInt(offsets.length)];
      Optional<OffsetDateTime> fast = FixedWidthDateTime.isoWithOffset(text);
      Optional<OffsetDateTime> slow = parsed(() -> OffsetDateTime.parse(text));
      if (fast.isPresent()) {
        taken++;
        assertEquals(slow, fast, text);
      } else {
        assertTrue(slow.isEmpty() || !text.matches(".{19}(Z|[+-]\\d\\d:\\d\\d)"), "not taken: " + text);
      }
    }
    assertTrue(taken > 500, "taken " + taken);
  }

  @Test
  void otherPatternsHaveNoShapeAndAreLeftToTheFormatter() {
    for (String pattern : new String[] {"yyyy-MM-dd HH:mm:ss.SSS", "d/M/yyyy H:mm", "yyyy-MM-dd[ HH:mm:ss]", "yy-MM-dd",
        "yyyy-MM-dd HH:mm", "yyyy-MM-dd'at'HH:mm:ss", "yyyy-MM-dd HH:mm:ss0", "yyyy-MM-dd HH:mm:ss XXX",
        "yyyy-MM-dd-MM"}) {
      assertEquals(Optional.empty(), FixedWidthDateTime.of(pattern), pattern);
    }
  }

  private <T> void agree(String pattern, Function<String, Optional<T>> fast, TemporalQuery<T> query) {
    DateTimeFormatter strict = DateTimeFormatter.ofPattern(pattern.replace('y', 'u'), Locale.ROOT)
        .withResolverStyle(ResolverStyle.STRICT);
    String plain = pattern.replace("'", "");
    int taken = 0;
    for (int i = 0; i < 20_000; i++) {
      String text = randomText(plain);
      Optional<T> byShape = fast.apply(text);
      Optional<T> byFormatter = parsed(() -> strict.parse(text, query));
      if (byShape.isPresent()) {
        taken++;
        assertEquals(byFormatter, byShape, pattern + ": " + text);
      } else {
        assertTrue(byFormatter.isEmpty() || text.length() != plain.length(), pattern + ", not taken: " + text);
      }
    }
    assertTrue(taken > 1000, pattern + ": taken " + taken);
  }

  /** A text of the pattern's shape with random digits, often with a character changed, dropped or doubled. */
  private String randomText(String plain) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < plain.length(); ) {
      char c = plain.charAt(i);
      int end = i;
      while (end < plain.length() && plain.charAt(end) == c) {
        end++;
      }
      if ("yuMdHms".indexOf(c) < 0) { // a separator, or a letter that was quoted (T)
        text.append(plain, i, end);
      } else if (end - i == 4) {
        text.append(random.nextInt(10) < 8 ? 1990 + random.nextInt(40) : 1000 + random.nextInt(9000));
      } else {
        text.append(random.nextInt(4)).append(random.nextInt(10)); // up to 39: some months, days, hours not there
      }
      i = end;
    }
    switch (random.nextInt(8)) {
      case 0 -> text.setCharAt(random.nextInt(text.length()), "a-:/ T\u0663+0".charAt(random.nextInt(9)));
      case 1 -> text.deleteCharAt(random.nextInt(text.length()));
      case 2 -> text.insert(random.nextInt(text.length()), '1');
      default -> { }
    }
    return text.toString();
  }

  private static <T> Optional<T> parsed(java.util.function.Supplier<T> parse) {
    try {
      return Optional.of(parse.get());
    } catch (java.time.DateTimeException e) {
      return Optional.empty();
    }
  }
}
