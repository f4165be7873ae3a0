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
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.Row;

/**
 * Cuts a file into chunks of whole records, so they can be typed in parallel: a gzip file cannot be
 * split, and typing its records (not decompressing it) is what costs. Only finds where records end
 * ({@link CsvRecords.Boundaries}); each chunk carries its file, the line it starts on and, for CSV, the
 * file's header, so the records it holds are read exactly as from the whole file.
 */
final class SplitFileFn extends DoFn<FileIO.ReadableFile, Row> {
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
  public void process(@Element FileIO.ReadableFile file, OutputReceiver<Row> out) {
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

  private void split(FileIO.ReadableFile file, String path, OutputReceiver<Row> out) throws IOException {
    // Bad bytes become U+FFFD and their record is rejected, rather than failing the whole file.
    var decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
    try (BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(file.open()), decoder), 1 << 16)) {
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
      for (String l = in.readLine(); l != null; l = in.readLine()) {
        line++;
        chunk.append(line == 1 && l.startsWith(BOM) ? l.substring(1) : l).append('\n');
        open = csv && !boundaries.endsRecord(l);
        if (!open) {
          counters.read.inc();
          if (++records == recordsPerChunk) {
            out.output(Row.withSchema(CHUNK).attachValues(path, chunkStart, header, chunk.toString()));
            chunk.setLength(0);
            chunkStart = line + 1;
            records = 0;
          }
        }
      }
      if (open) {
        counters.read.inc(); // a quoted field open at the end of the file: one record, which the reader rejects
      }
      if (chunk.length() > 0) {
        out.output(Row.withSchema(CHUNK).attachValues(path, chunkStart, header, chunk.toString()));
      }
    }
  }
}
