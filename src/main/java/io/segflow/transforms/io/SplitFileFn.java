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

  private final SourceIO.Settings settings;
  private final int recordsPerChunk;

  SplitFileFn(SourceIO.Settings settings, int recordsPerChunk) {
    this.settings = settings;
    this.recordsPerChunk = recordsPerChunk;
  }

  @ProcessElement
  public void process(@Element FileIO.ReadableFile file, OutputReceiver<Row> out) throws IOException {
    String path = file.getMetadata().resourceId().toString();
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
          text.append(l).append('\n');
          if (boundaries.endsRecord(l)) {
            break;
          }
        }
        if (line == 0) {
          return; // an empty file: no header, no records
        }
        header = new ArrayList<>(new CsvRecords(new BufferedReader(new StringReader(text.toString())),
            settings.delimiter()).next().fields());
        header.set(0, header.get(0).replace("\uFEFF", ""));
        ReadRecordsFn.columns(settings, path, header); // a missing column fails here, once per file
      }
      StringBuilder chunk = new StringBuilder();
      long chunkStart = line + 1;
      int records = 0;
      for (String l = in.readLine(); l != null; l = in.readLine()) {
        line++;
        chunk.append(l).append('\n');
        if (!csv || boundaries.endsRecord(l)) {
          if (++records == recordsPerChunk) {
            out.output(Row.withSchema(CHUNK).attachValues(path, chunkStart, header, chunk.toString()));
            chunk.setLength(0);
            chunkStart = line + 1;
            records = 0;
          }
        }
      }
      if (chunk.length() > 0) {
        out.output(Row.withSchema(CHUNK).attachValues(path, chunkStart, header, chunk.toString()));
      }
    }
  }
}
