package io.segflow.transforms.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Reads one chunk of a file ({@link SplitFileFn}) record by record, typing each field by the schema. A
 * record that does not fit goes to the rejects with the file, line, reason and its declared non-personal
 * fields ({@link RejectedRecord}); nothing is
 * dropped. Counts rows used, rejected and blank lines per source as Beam metrics ({@link SourceCounters});
 * {@link SplitFileFn} counts the records read, so the two sides of the accounting are counted apart.
 */
final class ReadRecordsFn extends DoFn<Row, Row> {
  static final TupleTag<Row> ROWS = new TupleTag<>("segflow.read.rows") {}; // explicit ids: PreparePointsFn says why
  static final TupleTag<Row> REJECTS = new TupleTag<>("segflow.read.rejects") {};
  /** JSON lines: per chunk, its objects and how many have each declared key ({@link KeyPresence}). */
  static final TupleTag<KV<String, List<Long>>> KEYS = new TupleTag<>("segflow.read.keys") {};
  private static final ObjectMapper JSON = new ObjectMapper();

  private final SourceIO.Settings settings;
  private final SourceCounters counters;
  // One per instance: building it compiles the date patterns, which cost more than parsing a field.
  private final FieldParser parser;

  ReadRecordsFn(SourceIO.Settings settings) {
    this.settings = settings;
    this.counters = new SourceCounters(settings.name());
    this.parser = settings.parser();
  }

  @ProcessElement
  public void process(@Element Row chunk, MultiOutputReceiver out) throws IOException {
    String path = chunk.getString("path");
    long linesBefore = chunk.getInt64("first_line") - 1;
    try (BufferedReader in = new BufferedReader(new StringReader(chunk.getString("text")))) {
      if (settings.format() == SourceIO.Format.CSV) {
        readCsv(in, path, linesBefore, new ArrayList<>(chunk.<String>getArray("header")), out);
      } else {
        readJsonLines(in, path, linesBefore, out);
      }
    } finally {
      counters.flush(); // once per chunk
    }
  }

  private void readCsv(BufferedReader in, String path, long linesBefore, List<String> names,
      MultiOutputReceiver out) throws IOException {
    Schema schema = settings.schema();
    CsvRecords records = new CsvRecords(in, settings.delimiter(), linesBefore);
    int[] index = columns(settings, path, names);
    for (CsvRecords.Record r = records.next(); r != null; r = records.next()) {
      if (r.raw().isEmpty() && names.size() > 1) {
        counters.blank.inc(); // holds no record; in a one-column file it is one, its value empty
        continue;
      }
      if (r.problem() != null) {
        reject(out, path, r.line(), "", r.problem());
        continue;
      }
      if (r.fields().size() != names.size() && !(r.raw().isEmpty() && names.size() == 1)) {
        reject(out, path, r.line(), "", "has " + r.fields().size() + " fields, the header has " + names.size());
        continue;
      }
      Object[] values = new Object[index.length];
      String problem = null;
      for (int f = 0; f < index.length && problem == null; f++) {
        problem = typed(r.raw().isEmpty() ? "" : r.fields().get(index[f]), schema.getField(f), values, f);
      }
      if (problem != null) {
        CsvRecords.Record record = r;
        reject(out, path, r.line(), RejectedRecord.of(schema, settings.personalColumns(),
            f -> record.raw().isEmpty() ? "" : record.fields().get(index[f])), problem);
      } else {
        counters.rows.inc();
        out.get(ROWS).output(Row.withSchema(schema).attachValues(values));
      }
    }
  }

  private void readJsonLines(BufferedReader in, String path, long linesBefore, MultiOutputReceiver out)
      throws IOException {
    Schema schema = settings.schema();
    long line = linesBefore;
    long objects = 0;
    long[] present = new long[schema.getFieldCount()];
    for (String text = in.readLine(); text != null; text = in.readLine()) {
      line++;
      if (text.isBlank()) {
        counters.blank.inc();
        continue;
      }
      JsonNode node;
      try {
        node = JSON.readTree(text);
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        reject(out, path, line, "", "not JSON: " + e.getOriginalMessage());
        continue;
      }
      if (!node.isObject()) {
        reject(out, path, line, "", "not a JSON object");
        continue;
      }
      objects++;
      for (int f = 0; f < present.length; f++) {
        present[f] += node.has(schema.getField(f).getName()) ? 1 : 0;
      }
      Object[] values = new Object[schema.getFieldCount()];
      String problem = null;
      for (int f = 0; f < values.length && problem == null; f++) {
        Schema.Field field = schema.getField(f);
        JsonNode value = node.get(field.getName());
        if (value == null && !settings.missingKeysAreNull()) {
          // An absent key is not a NULL: a misspelt key in the data would silently null every value.
          problem = "has no key '" + field.getName() + "'" + closestKey(node, field.getName());
        } else if (value == null || value.isNull()) {
          values[f] = null;
        } else if (value.isContainerNode()) {
          problem = field.getName() + " is a JSON " + (value.isArray() ? "array" : "object") + ", not a value";
        } else {
          problem = typed(value.asText(), field, values, f);
        }
      }
      if (problem != null) {
        JsonNode record = node;
        reject(out, path, line, RejectedRecord.of(schema, settings.personalColumns(), f -> {
          JsonNode value = record.get(schema.getField(f).getName());
          return value == null || value.isNull() ? null : value.isValueNode() ? value.asText() : value.toString();
        }), problem);
      } else {
        counters.rows.inc();
        out.get(ROWS).output(Row.withSchema(schema).attachValues(values));
      }
    }
    if (objects > 0) {
      out.get(KEYS).output(KeyPresence.counts(path, objects, present));
    }
  }

  /** Where each of the schema's columns is in a CSV header; a missing one fails the read, naming it. */
  static int[] columns(SourceIO.Settings settings, String path, List<String> header) {
    Schema schema = settings.schema();
    int[] index = new int[schema.getFieldCount()];
    for (int f = 0; f < index.length; f++) {
      index[f] = header.indexOf(schema.getField(f).getName());
      if (index[f] < 0) {
        throw new IllegalArgumentException("source " + settings.name() + ": " + path + " has no column '"
            + schema.getField(f).getName() + "' in its header (it has: " + String.join(", ", header) + ")"
            + nearest(schema.getField(f).getName(), header).map(n -> " (did you mean '" + n + "'?)").orElse("")
            + otherDelimiter(settings, header));
      }
    }
    return index;
  }

  /** A header that is one field holding the declared names split by another delimiter says which. */
  private static String otherDelimiter(SourceIO.Settings settings, List<String> header) {
    if (header.size() != 1) {
      return "";
    }
    for (char candidate : new char[] {';', '\t', '|', ','}) {
      List<String> names = List.of(header.get(0).split(java.util.regex.Pattern.quote(String.valueOf(candidate)), -1));
      if (candidate != settings.delimiter() && names.size() > 1
          && names.containsAll(settings.schema().getFieldNames().subList(0, 1))) {
        return "; the file looks " + (candidate == '\t' ? "tab" : "'" + candidate + "'")
            + "-delimited: set delimiter: " + (candidate == '\t' ? "\"\\t\"" : "'" + candidate + "'")
            + " on the source's binding";
      }
    }
    return "";
  }

  /** For a missing JSON key: the record's key nearest to it, if one differs only a little. */
  private static String closestKey(JsonNode node, String wanted) {
    List<String> keys = new ArrayList<>();
    node.fieldNames().forEachRemaining(keys::add);
    return nearest(wanted, keys).map(k -> " (it has '" + k + "')").orElse("");
  }

  /** The name nearest to a wanted one, if it is within a third of its length (case aside). */
  private static java.util.Optional<String> nearest(String wanted, List<String> names) {
    if (wanted.length() < 3) {
      return java.util.Optional.empty(); // every short name is near every other
    }
    var near = new org.apache.commons.text.similarity.LevenshteinDistance(wanted.length() / 3);
    String lower = wanted.toLowerCase(java.util.Locale.ROOT);
    return names.stream().filter(n -> !n.equals(wanted))
        .min(java.util.Comparator.comparingInt(n -> {
          int d = near.apply(n.toLowerCase(java.util.Locale.ROOT), lower);
          return d < 0 ? Integer.MAX_VALUE : d;
        }))
        .filter(n -> near.apply(n.toLowerCase(java.util.Locale.ROOT), lower) >= 0);
  }

  /** Types one field into values[f]; returns why it cannot be, or null. */
  private String typed(String text, Schema.Field field, Object[] values, int f) {
    if (settings.nullValues().contains(text)) {
      values[f] = null;
      return null;
    }
    if (text.indexOf('\uFFFD') >= 0) {
      return field.getName() + " holds bytes that are not UTF-8";
    }
    try {
      values[f] = parser.parse(text, field);
      return null;
    } catch (FieldParser.BadValue e) {
      return e.getMessage();
    }
  }

  private void reject(MultiOutputReceiver out, String path, long line, String record, String reason) {
    counters.rejected.inc();
    out.get(REJECTS).output(SourceRejects.of(settings.name(), path, line, record, reason));
  }

}
