package io.segflow.transforms.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.io.ByteStreams;

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
  /** Each chunk's typed rows, whose sum is the source's rows: its size without another pass over them. */
  static final TupleTag<Long> COUNTS = new TupleTag<>("segflow.read.counts") {};
  static final TupleTag<KV<String, List<Long>>> KEYS = new TupleTag<>("segflow.read.keys") {};

  private final SourceIO.Settings settings;
  private final SourceCounters counters;
  private final RecordTyper typer;

  ReadRecordsFn(SourceIO.Settings settings) {
    this.settings = settings;
    this.counters = new SourceCounters(settings.name());
    this.typer = new RecordTyper(settings);
  }

  @ProcessElement
  public void process(@Element Row chunk, MultiOutputReceiver out) throws IOException {
    String path = chunk.getString("path");
    long linesBefore = chunk.getInt64("first_line") - 1;
    try (BufferedReader in = text(chunk, path)) {
      out.get(COUNTS).output(settings.format() == SourceIO.Format.CSV
          ? readCsv(in, path, linesBefore, new ArrayList<>(chunk.<String>getArray("header")), out)
          : readJsonLines(in, path, linesBefore, out));
    } finally {
      counters.flush(); // once per chunk
    }
  }

  /** A chunk's text: carried in it, or read from its byte range of the file. */
  private static BufferedReader text(Row chunk, String path) throws IOException {
    String text = chunk.getString("text");
    if (text != null) {
      return new BufferedReader(new StringReader(text));
    }
    long from = chunk.getInt64("from");
    long to = chunk.getInt64("to");
    ReadableByteChannel channel = FileSystems.open(FileSystems.matchNewResource(path, false));
    if (from > 0) {
      ((SeekableByteChannel) channel).position(from); // an uncompressed file's channel seeks (FileIO's too)
    }
    // Bad bytes become U+FFFD and their record is rejected, as when the file is split.
    var decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
    BufferedReader in = new BufferedReader(new InputStreamReader(
        ByteStreams.limit(Channels.newInputStream(channel), to - from), decoder), 1 << 16);
    if (from == 0) { // a byte order mark before the first line is not part of it
      in.mark(1);
      if (in.read() != '\uFEFF') {
        in.reset();
      }
    }
    return in;
  }

  /** Types a CSV chunk's records; returns how many became rows. */
  private long readCsv(BufferedReader in, String path, long linesBefore, List<String> names,
      MultiOutputReceiver out) throws IOException {
    Schema schema = settings.schema();
    long rows = 0;
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
        problem = typer.typed(r.raw().isEmpty() ? "" : r.fields().get(index[f]), schema.getField(f), values, f);
      }
      if (problem != null) {
        CsvRecords.Record record = r;
        reject(out, path, r.line(), RejectedRecord.of(schema, settings.personalColumns(),
            f -> record.raw().isEmpty() ? "" : record.fields().get(index[f])), problem);
      } else {
        counters.rows.inc();
        rows++;
        out.get(ROWS).output(Row.withSchema(schema).attachValues(values));
      }
    }
    return rows;
  }

  /** Types a JSON lines chunk's records; returns how many became rows. */
  private long readJsonLines(BufferedReader in, String path, long linesBefore, MultiOutputReceiver out)
      throws IOException {
    Schema schema = settings.schema();
    long rows = 0;
    long line = linesBefore;
    long objects = 0;
    long[] present = new long[schema.getFieldCount()];
    for (String text = in.readLine(); text != null; text = in.readLine()) {
      line++;
      if (text.isBlank()) {
        counters.blank.inc();
        continue;
      }
      RecordTyper.Typed typed = typer.json(text);
      if (typed.object() != null) {
        objects++;
        for (int f = 0; f < present.length; f++) {
          present[f] += typed.object().has(schema.getField(f).getName()) ? 1 : 0;
        }
      }
      if (typed.rejected()) {
        reject(out, path, line, typed.record(), typed.reason());
      } else {
        counters.rows.inc();
        rows++;
        out.get(ROWS).output(typed.row());
      }
    }
    if (objects > 0) {
      out.get(KEYS).output(KeyPresence.counts(path, objects, present));
    }
    return rows;
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
            + RecordTyper.nearest(schema.getField(f).getName(), header).map(n -> " (did you mean '" + n + "'?)").orElse("")
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

  private void reject(MultiOutputReceiver out, String path, long line, String record, String reason) {
    counters.rejected.inc();
    out.get(REJECTS).output(SourceRejects.of(settings.name(), path, line, record, reason));
  }

}
