package io.segflow.transforms.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.schemas.Schema;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

class CsvRecordsTest {
  private static List<CsvRecords.Record> records(String text, char delimiter) throws IOException {
    CsvRecords csv = new CsvRecords(new BufferedReader(new StringReader(text)), delimiter);
    List<CsvRecords.Record> all = new ArrayList<>();
    for (CsvRecords.Record r = csv.next(); r != null; r = csv.next()) {
      all.add(r);
    }
    return all;
  }

  @Test
  void linesWithAndWithoutQuotesSplitTheSameWay() throws IOException {
    List<CsvRecords.Record> r = records(String.join("\n",
        "a,,c,",
        "\"a\",\"\",c,",
        ",x",
        "\"1,5\",\"say \"\"hi\"\"\",z",
        "\"two",
        "lines\",b",
        "last"), ',');
    assertEquals(List.of("a", "", "c", ""), r.get(0).fields());
    assertEquals(r.get(0).fields(), r.get(1).fields(), "quoted and unquoted spellings of the same fields");
    assertEquals(List.of("", "x"), r.get(2).fields());
    assertEquals(List.of("1,5", "say \"hi\"", "z"), r.get(3).fields());
    assertEquals(List.of("two\nlines", "b"), r.get(4).fields());
    assertEquals(5, r.get(4).line());
    assertEquals("\"two\nlines\",b", r.get(4).raw());
    assertEquals(List.of("last"), r.get(5).fields());
    assertEquals(7, r.get(5).line(), "line numbers count the line inside the quoted field");
    assertEquals("a,,c,", r.get(0).raw());
    r.forEach(record -> assertNull(record.problem()));
  }

  @Test
  void boundariesEndRecordsWhereNextDoes() throws IOException {
    String text = String.join("\n", "a,b", "\"x", "y\",z", "5\" screen,\"q\"", "\"\"\"quoted\"\"\",\"a",
        "", "b\"\"\",c", "ab\"c,d", "\"\",\"", "\"", "end");
    List<Long> starts = new ArrayList<>();
    records(text, ',').forEach(r -> starts.add(r.line()));
    List<Long> ends = new ArrayList<>();
    CsvRecords.Boundaries boundaries = new CsvRecords.Boundaries(',');
    long line = 0;
    long start = 1;
    for (String l : text.split("\n", -1)) {
      line++;
      if (boundaries.endsRecord(l)) {
        ends.add(start);
        start = line + 1;
      }
    }
    assertEquals(starts, ends, "records start on the same lines");
    assertEquals(List.of(1L, 2L, 4L, 5L, 8L, 9L, 11L), starts);
  }

  @Test
  void otherDelimitersAndAnUnclosedQuote() throws IOException {
    List<CsvRecords.Record> r = records("a;b;c\n\"open;d\n", ';');
    assertEquals(List.of("a", "b", "c"), r.get(0).fields());
    assertEquals("a quoted field is not closed before the end of the file", r.get(1).problem());
  }

  @Test
  void aRepeatedTimestampIsParsedOnceAndStillRight() throws FieldParser.BadValue {
    FieldParser parser = new FieldParser(null, "yyyy-MM-dd HH:mm:ss", "Europe/London");
    Schema.Field ts = Schema.Field.of("ts", Schema.FieldType.DATETIME);
    Object first = parser.parse("2011-06-01 10:00:00", ts);
    assertEquals(Instant.parse("2011-06-01T09:00:00Z"), first, "BST is UTC+1");
    assertEquals(first, parser.parse("2011-06-01 10:00:00", ts));
    assertEquals(Instant.parse("2011-12-01T10:00:00Z"), parser.parse("2011-12-01 10:00:00", ts));
    assertThrows(FieldParser.BadValue.class, () -> parser.parse("2011-06-31 10:00:00", ts));
    assertEquals(Instant.parse("2011-12-01T10:00:00Z"), parser.parse("2011-12-01 10:00:00", ts),
        "a bad value in between does not disturb the cache");
  }
}
