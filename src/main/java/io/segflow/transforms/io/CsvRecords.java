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
    this(in, delimiter, 0);
  }

  /** Records of text that starts after line {@code linesBefore} of its file (a chunk of a larger file). */
  CsvRecords(BufferedReader in, char delimiter, long linesBefore) {
    this.in = in;
    this.delimiter = delimiter;
    this.lineNumber = linesBefore;
  }

  /**
   * Finds where records end without building their fields, by the same rules as {@link #next()}: a line
   * break inside a quoted field continues the record. Lets a file be cut into chunks of whole records
   * cheaply, to be parsed in parallel.
   */
  static final class Boundaries {
    private final char delimiter;
    private boolean quoted;
    private boolean fieldEmpty = true;

    Boundaries(char delimiter) {
      this.delimiter = delimiter;
    }

    /** Takes the next line of the file; true when the record it is part of ends with it. */
    boolean endsRecord(String line) {
      if (line.indexOf('"') < 0) {
        return endsLineWithoutQuotes();
      }
      for (int i = 0; i < line.length(); i++) {
        char c = line.charAt(i);
        if (quoted) {
          if (c == '"') {
            if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
              i++;
              fieldEmpty = false;
            } else {
              quoted = false;
            }
          } else {
            fieldEmpty = false;
          }
        } else if (c == '"' && fieldEmpty) {
          quoted = true;
        } else if (c == delimiter) {
          fieldEmpty = true;
        } else {
          fieldEmpty = false;
        }
      }
      if (quoted) {
        fieldEmpty = false; // the line break is part of the field
        return false;
      }
      fieldEmpty = true;
      return true;
    }

    /** As {@link #endsRecord}, for a line known to hold no quote. */
    boolean endsLineWithoutQuotes() {
      fieldEmpty = !quoted; // in a quoted field, the line break is part of it
      return !quoted;
    }
  }

  /** The next record, or null at the end of the file. */
  public Record next() throws IOException {
    String line = in.readLine();
    if (line == null) {
      return null;
    }
    long start = ++lineNumber;
    if (line.indexOf('"') < 0) {
      return new Record(split(line), start, line, null);
    }
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

  /** The fields of a line without quotes (most lines): cut at each delimiter, nothing to unescape. */
  private List<String> split(String line) {
    List<String> fields = new ArrayList<>();
    int from = 0;
    for (int at = line.indexOf(delimiter); at >= 0; at = line.indexOf(delimiter, from)) {
      fields.add(line.substring(from, at));
      from = at + 1;
    }
    fields.add(line.substring(from));
    return fields;
  }
}
