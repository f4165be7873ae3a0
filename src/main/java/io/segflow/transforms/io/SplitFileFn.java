package io.segflow.transforms.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.nio.channels.Channels;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Utf8;

/**
 * Cuts a file into chunks of whole records, so they can be typed in parallel: a gzip file cannot be
 * split, and typing its records (not decompressing it) is what costs. Only finds where records end
 * ({@link CsvRecords.Boundaries}); each chunk carries its file, the line it starts on and, for CSV, the
 * file's header, so the records it holds are read exactly as from the whole file.
 */
final class SplitFileFn extends DoFn<FileIO.ReadableFile, Row> {
  static final TupleTag<Row> CHUNKS = new TupleTag<>("segflow.split.chunks") {}; // explicit ids: PreparePointsFn says why
  static final TupleTag<Row> OVERSIZED = new TupleTag<>("segflow.split.oversized") {};
  static final Schema CHUNK = Schema.builder()
      .addStringField("path")
      .addInt64Field("first_line")
      .addNullableField("header", Schema.FieldType.array(Schema.FieldType.STRING))
      .addStringField("text")
      .build();

  private static final String BOM = "\uFEFF";

  private final SourceIO.Settings settings;
  private final int recordsPerChunk;
  // Records are counted here, where the file is cut, and typed records where they are read: the source's
  // accounting (read = rows + rejected + blank) compares two counts, so it can fail.
  private final SourceCounters counters;

  SplitFileFn(SourceIO.Settings settings, int recordsPerChunk) {
    this.settings = settings;
    this.recordsPerChunk = recordsPerChunk;
    this.counters = new SourceCounters(settings.name());
  }

  @ProcessElement
  public void process(@Element FileIO.ReadableFile file, MultiOutputReceiver out) {
    String path = file.getMetadata().resourceId().toString();
    try {
      split(file, path, out);
    } catch (IOException e) {
      // A truncated or corrupt gzip file, or a read error: the whole source is unusable, so the run fails,
      // naming the file. No cause is attached: the run reports the deepest cause's message, and this is it.
      throw new IllegalStateException("source " + settings.name() + ": cannot read " + path
          + (file.getCompression() == org.apache.beam.sdk.io.Compression.UNCOMPRESSED ? ""
              : " (" + file.getCompression().name().toLowerCase(java.util.Locale.ROOT) + ")")
          + (e instanceof java.io.EOFException ? ": it is truncated (it ends in the middle of its compressed data)"
              : ": " + e.getMessage()));
    } finally {
      counters.flush();
    }
  }

  private void split(FileIO.ReadableFile file, String path, MultiOutputReceiver out) throws IOException {
    // Bad bytes become U+FFFD and their record is rejected, rather than failing the whole file.
    var decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
    try (BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(file.open()), decoder), 1 << 16)) {
      split(in, path, out.get(CHUNKS)::output, out.get(OVERSIZED)::output);
    }
  }

  /**
   * Cuts a file's text into chunks of whole records, each to {@code chunks}; a record over the size limit
   * goes to {@code oversized} as a reject instead, and its text is dropped as it is read. Counts the
   * records read, and the oversized ones as rejected.
   */
  void split(BufferedReader in, String path, Consumer<Row> chunks, Consumer<Row> oversized) throws IOException {
    boolean csv = settings.format() == SourceIO.Format.CSV;
    CsvRecords.Boundaries boundaries = new CsvRecords.Boundaries(settings.delimiter());
    long line = 0;
    List<String> header = null;
    if (csv) {
      StringBuilder text = new StringBuilder();
      for (String l = in.readLine(); l != null; l = in.readLine()) {
        line++;
        // A byte order mark before the header, quoted or not, is not part of its first name.
        text.append(line == 1 && l.startsWith(BOM) ? l.substring(1) : l).append('\n');
        if (boundaries.endsRecord(l)) {
          break;
        }
      }
      if (line == 0) {
        return; // an empty file: no header, no records
      }
      header = new ArrayList<>(new CsvRecords(new BufferedReader(new StringReader(text.toString())),
          settings.delimiter()).next().fields());
      ReadRecordsFn.columns(settings, path, header); // a missing column fails here, once per file
    }
    StringBuilder chunk = new StringBuilder();
    long chunkStart = line + 1;
    int records = 0;
    boolean open = false; // within a record whose quoted field has not closed yet
    int recordStart = 0; // where the current record begins in the chunk
    long recordBytes = 0;
    long oversizedFrom = 0; // the line an oversized record began on while it is being skipped, else 0
    for (String l = in.readLine(); l != null; l = in.readLine()) {
      line++;
      if (!open) {
        recordStart = chunk.length();
        recordBytes = 0;
      }
      recordBytes += Utf8.encodedLength(l) + (open ? 1 : 0);
      if (oversizedFrom == 0 && recordBytes > settings.maxRecordBytes()) {
        // Drop what the chunk holds of it; the records before it leave as a chunk of their own, so every
        // chunk's lines stay contiguous.
        oversizedFrom = line - (open ? lineCount(chunk, recordStart) : 0);
        chunk.setLength(recordStart);
        if (records > 0) {
          chunks.accept(Row.withSchema(CHUNK).attachValues(path, chunkStart, header, chunk.toString()));
        }
        chunk.setLength(0);
        records = 0;
      }
      if (oversizedFrom == 0) {
        chunk.append(line == 1 && l.startsWith(BOM) ? l.substring(1) : l).append('\n');
      }
      open = csv && !boundaries.endsRecord(l);
      if (!open) {
        counters.read.inc();
        if (oversizedFrom > 0) {
          oversized.accept(tooLong(path, oversizedFrom));
          oversizedFrom = 0;
          chunkStart = line + 1;
        } else if (++records == recordsPerChunk) {
          chunks.accept(Row.withSchema(CHUNK).attachValues(path, chunkStart, header, chunk.toString()));
          chunk.setLength(0);
          chunkStart = line + 1;
          records = 0;
        }
      }
    }
    if (open) {
      counters.read.inc(); // a quoted field open at the end of the file: one record, which the reader rejects
      if (oversizedFrom > 0) {
        oversized.accept(tooLong(path, oversizedFrom));
      }
    }
    if (chunk.length() > 0) {
      chunks.accept(Row.withSchema(CHUNK).attachValues(path, chunkStart, header, chunk.toString()));
    }
  }

  private Row tooLong(String path, long line) {
    counters.rejected.inc();
    return SourceRejects.of(settings.name(), path, line, "", "is longer than max_record_bytes ("
        + settings.maxRecordBytes() + " bytes)" + (settings.format() == SourceIO.Format.CSV
            ? "; a quoted field that never closes makes one record of the rest of the file" : ""));
  }

  /** Lines the chunk holds from {@code from} on: those of a record that spans lines. */
  private static long lineCount(StringBuilder chunk, int from) {
    long lines = 0;
    for (int i = from; i < chunk.length(); i++) {
      if (chunk.charAt(i) == '\n') {
        lines++;
      }
    }
    return lines;
  }
}
