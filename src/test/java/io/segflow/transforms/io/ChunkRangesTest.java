package io.segflow.transforms.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.segflow.testing.TestRunners;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.values.Row;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An uncompressed file's chunks can be byte ranges, read again where their records are typed; a gzip
 * file's always carry their text. Both give the same rows and rejects at the same lines, whatever the cut,
 * on the DirectRunner and embedded Flink: every line ending readLine knows (CRLF, LF, a lone CR, none at the
 * end), inside quotes too, a byte order mark, characters of two and three bytes, a byte that is not UTF-8
 * and a record over the size limit.
 */
@Tag("flink")
class ChunkRangesTest {
  private static final Schema SCHEMA = Schema.builder().addNullableField("id", Schema.FieldType.STRING)
      .addNullableField("note", Schema.FieldType.STRING).addNullableField("n", Schema.FieldType.INT64).build();
  private static final String OVERSIZED = "is longer than max_record_bytes (64 bytes); a quoted field that never "
      + "closes makes one record of the rest of the file";

  @ParameterizedTest(name = "{0} runner")
  @ValueSource(strings = {"direct", "flink"})
  void rangesAndTextGiveTheSameRowsAndRejects(String runner, @TempDir Path dir) throws IOException {
    ByteArrayOutputStream csv = new ByteArrayOutputStream();
    csv.writeBytes(("\uFEFFid,note,n\r\na,plain,1\r\nb,\"two\r\nlines\",2\nc,caf\u00e9 \u65e5\u672c,3\rd,bad ")
        .getBytes(StandardCharsets.UTF_8));
    csv.write(0xFF);
    csv.writeBytes((" byte,4\ne,\"" + "y".repeat(80) + "\",5\r\nf,last,x\ng,end,7").getBytes(StandardCharsets.UTF_8));
    byte[] jsonl = ("\uFEFF{\"id\": \"a\", \"note\": null, \"n\": 1}\r\n{\"id\": \"b\", \"note\": \"\u00e9\", \"n\": 2}\r"
        + "{\"id\": \"c\", \"note\": \"x\", \"n\": \"three\"}\n{\"id\": \"d\", \"note\": \"z\", \"n\": null}")
        .getBytes(StandardCharsets.UTF_8);
    Pipeline p = Pipeline.create(TestRunners.named(runner));
    for (String format : List.of("csv", "jsonl")) {
      byte[] bytes = format.equals("csv") ? csv.toByteArray() : jsonl;
      Path plain = dir.resolve("notes." + format);
      Files.write(plain, bytes);
      Path gzip = dir.resolve("notes." + format + ".gz");
      try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gzip))) {
        out.write(bytes);
      }
      for (Path file : List.of(plain, gzip)) {
        String name = file.toString();
        List<Row> rows = format.equals("csv") ? List.of(row("a", "plain", 1L), row("b", "two\nlines", 2L),
            row("c", "caf\u00e9 \u65e5\u672c", 3L), row("g", "end", 7L))
            : List.of(row("a", null, 1L), row("b", "\u00e9", 2L), row("d", "z", null));
        List<Row> rejects = format.equals("csv") ? List.of(
            reject(name, 6, "id=d, note=bad \uFFFD byte, n=4", "note holds bytes that are not UTF-8"),
            reject(name, 7, "", OVERSIZED),
            reject(name, 8, "id=f, note=last, n=x", "n 'x' is not an INT64"))
            : List.of(reject(name, 3, "id=c, note=x, n=three", "n 'three' is not an INT64"));
        for (boolean ranges : new boolean[] {true, false}) {
          for (int perChunk : new int[] {SourceIO.Read.RECORDS_PER_CHUNK, 1, 2}) {
            String step = file.getFileName() + "/" + (ranges ? "ranges/" : "text/") + perChunk;
            SourceIO.Read read = SourceIO.read("notes", SCHEMA).from(name).withMaxRecordBytes(64)
                .withRecordsPerChunk(perChunk).withChunksAsRanges(ranges);
            SourceIO.Result result = p.apply(step, format.equals("csv") ? read : read.withFormat(SourceIO.Format.JSONL));
            PAssert.that("rows of " + step, result.rows()).containsInAnyOrder(rows);
            PAssert.that("rejects of " + step, result.rejects()).containsInAnyOrder(rejects);
          }
        }
      }
    }
    assertEquals(PipelineResult.State.DONE, p.run().waitUntilFinish());
  }

  private static Row row(String id, String note, Long n) {
    return Row.withSchema(SCHEMA).addValues(id, note, n).build();
  }

  private static Row reject(String file, long line, String record, String reason) {
    return Row.withSchema(SourceRejects.SCHEMA).addValues("notes", file, line, record, reason).build();
  }
}
