package io.segflow.transforms.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;

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
      // The records' text, or (for an uncompressed file) where they are: from and to, byte offsets.
      .addNullableField("text", Schema.FieldType.STRING)
      .addNullableField("from", Schema.FieldType.INT64)
      .addNullableField("to", Schema.FieldType.INT64)
      .build();

  private static final String BOM = "\uFEFF";

  private final SourceIO.Settings settings;
  private final int recordsPerChunk;
  private final boolean ranges; // an uncompressed file's chunks as byte ranges rather than text
  // Records are counted here, where the file is cut, and typed records where they are read: the source's
  // accounting (read = rows + rejected + blank) compares two counts, so it can fail.
  private final SourceCounters counters;

  SplitFileFn(SourceIO.Settings settings, int recordsPerChunk, boolean ranges) {
    this.settings = settings;
    this.recordsPerChunk = recordsPerChunk;
    this.ranges = ranges;
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
    // A range is read again where its records are typed, so its text does not travel between workers; a
    // compressed file cannot be read from the middle, so its chunks carry their text.
    try (InputStream in = Channels.newInputStream(file.open())) {
      split(new ByteLines(in), path, ranges && file.getCompression() == Compression.UNCOMPRESSED,
          out.get(CHUNKS)::output, out.get(OVERSIZED)::output);
    }
  }

  /**
   * Cuts a file's lines into chunks of whole records, each to {@code chunks}: the records' text, or with
   * {@code ranges} where they are in the file. A record over the size limit goes to {@code oversized} as a
   * reject instead. Counts the records read, and the oversized ones as rejected.
   */
  void split(ByteLines lines, String path, boolean ranges, Consumer<Row> chunks, Consumer<Row> oversized)
      throws IOException {
    boolean csv = settings.format() == SourceIO.Format.CSV;
    CsvRecords.Boundaries boundaries = new CsvRecords.Boundaries(settings.delimiter());
    long line = 0;
    List<String> header = null;
    if (csv) {
      StringBuilder text = new StringBuilder();
      while (lines.next()) {
        line++;
        String l = lines.text();
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
    Chunk chunk = new Chunk(path, header, ranges, line + 1, lines.nextStart());
    int records = 0;
    boolean open = false; // within a record whose quoted field has not closed yet
    long recordBytes = 0;
    long oversizedFrom = 0; // the line an oversized record began on while it is being skipped, else 0
    while (lines.next()) {
      line++;
      if (!open) {
        chunk.recordStarts(lines.start());
        recordBytes = 0;
      }
      recordBytes += lines.length() + (open ? 1 : 0);
      if (oversizedFrom == 0 && recordBytes > settings.maxRecordBytes()) {
        // Drop what the chunk holds of it; the records before it leave as a chunk of their own, so every
        // chunk's lines stay contiguous.
        oversizedFrom = line - (open ? chunk.linesOfRecord() : 0);
        if (records > 0) {
          chunks.accept(chunk.upToRecord());
        }
        records = 0;
      }
      boolean quotes = csv && lines.contains('"');
      String l = oversizedFrom == 0 && !ranges || quotes ? lines.text() : null;
      if (oversizedFrom == 0) {
        chunk.add(l == null ? null : line == 1 && l.startsWith(BOM) ? l.substring(1) : l);
      }
      open = csv && !(quotes ? boundaries.endsRecord(l) : boundaries.endsLineWithoutQuotes());
      if (!open) {
        counters.read.inc();
        if (oversizedFrom > 0) {
          oversized.accept(tooLong(path, oversizedFrom));
          oversizedFrom = 0;
          chunk = chunk.next(line + 1, lines.nextStart());
        } else if (++records == recordsPerChunk) {
          chunks.accept(chunk.upTo(lines.nextStart()));
          chunk = chunk.next(line + 1, lines.nextStart());
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
    if (oversizedFrom == 0 && !chunk.isEmpty()) {
      chunks.accept(chunk.upTo(lines.nextStart()));
    }
  }

  /**
   * The records of one chunk as they are cut: their text, or only where they start and end in the file. A
   * chunk starts on the line after the last one its predecessor took.
   */
  private static final class Chunk {
    private final String path;
    private final List<String> header;
    private final boolean range;
    private final long firstLine;
    private final long from;
    private final StringBuilder text = new StringBuilder();
    private int lines;
    private int recordText; // where the current record's text begins
    private int recordLines; // lines of the chunk before the current record
    private long recordFrom; // where the current record begins in the file

    Chunk(String path, List<String> header, boolean range, long firstLine, long from) {
      this.path = path;
      this.header = header;
      this.range = range;
      this.firstLine = firstLine;
      this.from = from;
      this.recordFrom = from;
    }

    /** The chunk after this one, from line {@code firstLine}, at {@code from} in the file. */
    Chunk next(long firstLine, long from) {
      return new Chunk(path, header, range, firstLine, from);
    }

    void recordStarts(long at) {
      recordText = text.length();
      recordLines = lines;
      recordFrom = at;
    }

    /** Lines the chunk holds of the current record: those of a record that spans lines. */
    long linesOfRecord() {
      return lines - recordLines;
    }

    void add(String line) {
      lines++;
      if (!range) {
        text.append(line).append('\n');
      }
    }

    boolean isEmpty() {
      return lines == 0;
    }

    /** The chunk up to (not including) the current record, which is dropped. */
    Row upToRecord() {
      text.setLength(recordText);
      lines = recordLines;
      return upTo(recordFrom);
    }

    /** The chunk, ending at {@code to} in the file. */
    Row upTo(long to) {
      return range ? Row.withSchema(CHUNK).attachValues(path, firstLine, header, null, from, to)
          : Row.withSchema(CHUNK).attachValues(path, firstLine, header, text.toString(), null, null);
    }
  }

  private Row tooLong(String path, long line) {
    counters.rejected.inc();
    return SourceRejects.of(settings.name(), path, line, "", "is longer than max_record_bytes ("
        + settings.maxRecordBytes() + " bytes)" + (settings.format() == SourceIO.Format.CSV
            ? "; a quoted field that never closes makes one record of the rest of the file" : ""));
  }
}
