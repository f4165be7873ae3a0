package io.segflow.transforms.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads delimited text records (RFC 4180: quoted fields may hold the delimiter, doubled quotes and line
 * breaks) with the line number each record starts on and its raw text.
 */
public final class CsvRecords {
  /** One record: its fields, the 1-based line it starts on, the text as it was in the file. */
  public record Record(List<String> fields, long line, String raw, String problem) {}

  private final BufferedReader in;
  private final char delimiter;
  private long lineNumber;

  public CsvRecords(BufferedReader in, char delimiter) {
    this.in = in;
    this.delimiter = delimiter;
  }

  /** The next record, or null at the end of the file. */
  public Record next() throws IOException {
    String line = in.readLine();
    if (line == null) {
      return null;
    }
    long start = ++lineNumber;
    StringBuilder raw = new StringBuilder(line);
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    int i = 0;
    while (true) {
      if (i >= line.length()) {
        if (!quoted) {
          break;
        }
        // A quoted field runs on over a line break.
        String more = in.readLine();
        if (more == null) {
          fields.add(field.toString());
          return new Record(fields, start, raw.toString(), "a quoted field is not closed before the end of the file");
        }
        lineNumber++;
        raw.append('\n').append(more);
        field.append('\n');
        line = more;
        i = 0;
        continue;
      }
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"') {
          if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
            field.append('"');
            i++;
          } else {
            quoted = false;
          }
        } else {
          field.append(c);
        }
      } else if (c == '"' && field.length() == 0) {
        quoted = true;
      } else if (c == delimiter) {
        fields.add(field.toString());
        field.setLength(0);
      } else {
        field.append(c);
      }
      i++;
    }
    fields.add(field.toString());
    return new Record(fields, start, raw.toString(), null);
  }
}
