package io.segflow.transforms.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.logicaltypes.SqlTypes;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(TestPipelineExtension.class)
class SourceIOTest {
  private static final Schema ORDERS = Schema.builder()
      .addNullableField("customer_id", Schema.FieldType.STRING)
      .addNullableField("amount", Schema.FieldType.DECIMAL)
      .addNullableField("quantity", Schema.FieldType.INT64)
      .addNullableField("ordered_at", Schema.FieldType.DATETIME)
      .addNullableField("day", Schema.FieldType.logicalType(SqlTypes.DATE))
      .addNullableField("note", Schema.FieldType.STRING)
      .addNullableField("gift", Schema.FieldType.BOOLEAN)
      .build();

  @Test
  void csvTypesEveryDeclaredColumnIgnoresTheRestAndRejectsWithFileLineAndReason(TestPipeline p, @TempDir Path dir)
      throws IOException {
    Path file = dir.resolve("orders.csv");
    Files.writeString(file, String.join("\n",
        "\uFEFFcustomer_id,extra,amount,quantity,ordered_at,day,note,gift",
        "c1,x,10.50,2,2011-12-09 12:50:00,20111209,\"plain, with a comma\",true",
        "c2,x,,1,2011-06-01 08:00:00,20110601,\"she said \"\"hi\"\"\",FALSE",
        "c3,x,3,1,2011-06-01 08:00:00,20110601,\"two",
        "lines\",false",
        "",
        "c4,x,1.0,2.5,2011-06-01 08:00:00,20110601,n,true",
        "c5,x,1,1,2011-13-01 08:00:00,20110601,n,true",
        "c6,x,1,1,2011-06-01 08:00:00,20110631,n,maybe",
        "c7,x,1",
        "c8,x,1,1,2011-06-01 08:00:00,20110601,\"never closed,true"), StandardCharsets.UTF_8);
    String name = file.toString();
    List<Row> rows = List.of(
        Row.withSchema(ORDERS).addValues("c1", new BigDecimal("10.50"), 2L, Instant.parse("2011-12-09T12:50:00Z"),
            LocalDate.of(2011, 12, 9), "plain, with a comma", true).build(),
        Row.withSchema(ORDERS).addValues("c2", null, 1L, Instant.parse("2011-06-01T07:00:00Z"),
            LocalDate.of(2011, 6, 1), "she said \"hi\"", false).build(),
        Row.withSchema(ORDERS).addValues("c3", new BigDecimal("3"), 1L, Instant.parse("2011-06-01T07:00:00Z"),
            LocalDate.of(2011, 6, 1), "two\nlines", false).build());
    List<Row> rejects = List.of(
        // A reject keeps the declared fields but the personal one (note); never the undeclared (extra).
        reject(name, 7, "customer_id=c4, amount=1.0, quantity=2.5, ordered_at=2011-06-01 08:00:00, day=20110601, "
            + "gift=true", "quantity '2.5' is not an INT64"),
        reject(name, 8, "customer_id=c5, amount=1, quantity=1, ordered_at=2011-13-01 08:00:00, day=20110601, gift=true",
            "ordered_at '2011-13-01 08:00:00' is not a TIMESTAMP (yyyy-MM-dd HH:mm:ss)"),
        reject(name, 9, "customer_id=c6, amount=1, quantity=1, ordered_at=2011-06-01 08:00:00, day=20110631, "
            + "gift=maybe", "day '20110631' is not a DATE (yyyyMMdd)"),
        // Fields that cannot be told apart are not kept at all: the file and line locate the record.
        reject(name, 10, "", "has 3 fields, the header has 8"),
        reject(name, 11, "", "a quoted field is not closed before the end of the file"));
    // The file is cut into chunks typed in parallel: whatever the cut, the same rows and the same lines.
    for (int perChunk : new int[] {SourceIO.Read.RECORDS_PER_CHUNK, 1, 2}) {
      SourceIO.Result result = p.apply("Read" + perChunk, SourceIO.read("orders", ORDERS).from(file.toString())
          .withDateFormat("yyyyMMdd").withTimestampFormat("yyyy-MM-dd HH:mm:ss").withTimeZone("Europe/London")
          .withPersonalColumns(List.of("note")).withRecordsPerChunk(perChunk));
      PAssert.that("rows, chunks of " + perChunk, result.rows()).containsInAnyOrder(rows);
      PAssert.that("rejects, chunks of " + perChunk, result.rejects()).containsInAnyOrder(rejects);
    }
    p.run().waitUntilFinish();
  }

  @Test
  void aRecordLongerThanTheLimitIsARejectAtItsLineAndTheOthersReadOn(TestPipeline p, @TempDir Path dir)
      throws IOException {
    Schema schema = Schema.builder().addNullableField("id", Schema.FieldType.STRING)
        .addNullableField("note", Schema.FieldType.STRING).build();
    Path file = dir.resolve("notes.csv");
    List<String> lines = new java.util.ArrayList<>(List.of(
        "id,note",
        "a,short",
        "b,\"" + "x".repeat(80) + "\"",
        "c,\"three",
        "short",
        "lines\"",
        "d,\"opens here and never closes"));
    for (int i = 0; i < 5; i++) {
      lines.add("more text of the open field " + i);
    }
    Files.writeString(file, String.join("\n", lines), StandardCharsets.UTF_8);
    String name = file.toString();
    String reason = "is longer than max_record_bytes (64 bytes); a quoted field that never closes makes one record "
        + "of the rest of the file";
    for (int perChunk : new int[] {SourceIO.Read.RECORDS_PER_CHUNK, 1, 2}) {
      SourceIO.Result result = p.apply("Read" + perChunk, SourceIO.read("orders", schema).from(name)
          .withMaxRecordBytes(64).withRecordsPerChunk(perChunk));
      PAssert.that("rows, chunks of " + perChunk, result.rows()).containsInAnyOrder(
          Row.withSchema(schema).addValues("a", "short").build(),
          Row.withSchema(schema).addValues("c", "three\nshort\nlines").build());
      PAssert.that("rejects, chunks of " + perChunk, result.rejects()).containsInAnyOrder(
          reject(name, 3, "", reason), reject(name, 7, "", reason));
    }
    p.run().waitUntilFinish();
  }

  @Test
  void jsonLinesTypeFieldsAndRejectWhatDoesNotFit(TestPipeline p, @TempDir Path dir) throws IOException {
    Schema schema = Schema.builder().addNullableField("id", Schema.FieldType.STRING)
        .addNullableField("n", Schema.FieldType.INT64).addNullableField("x", Schema.FieldType.DOUBLE).build();
    Path file = dir.resolve("events.jsonl");
    Files.writeString(file, String.join("\n",
        "{\"id\": \"a\", \"n\": 3, \"x\": 1.5, \"ignored\": [1]}",
        "{\"id\": \"b\", \"n\": null, \"x\": null}",
        "{\"id\": \"c\", \"n\": \"three\", \"x\": 1}",
        "[1, 2]",
        "{\"id\": \"d\", \"n\": 1, \"x\": {\"nested\": 1}}",
        "{not json",
        "{\"id\": \"e\", \"n\": 2, \"xx\": 1}"));
    for (int perChunk : new int[] {SourceIO.Read.RECORDS_PER_CHUNK, 1}) {
      SourceIO.Result result = p.apply("Read" + perChunk, SourceIO.read("events", schema).from(file.toString())
          .withFormat(SourceIO.Format.JSONL).withPersonalColumns(List.of("id")).withRecordsPerChunk(perChunk));
      assertJsonLinesRead(schema, result);
    }
    // For producers that leave NULL fields out, an absent key may read as NULL.
    PAssert.that(p.apply("ReadMissingAsNull", SourceIO.read("events", schema).from(file.toString())
        .withFormat(SourceIO.Format.JSONL).withMissingKeysAsNull()).rows()).containsInAnyOrder(
        Row.withSchema(schema).addValues("a", 3L, 1.5).build(),
        Row.withSchema(schema).addValues("b", null, null).build(),
        Row.withSchema(schema).addValues("e", 2L, null).build());
    p.run().waitUntilFinish();
  }

  private static void assertJsonLinesRead(Schema schema, SourceIO.Result result) {
    PAssert.that(result.rows()).containsInAnyOrder(
        Row.withSchema(schema).addValues("a", 3L, 1.5).build(),
        Row.withSchema(schema).addValues("b", null, null).build());
    PAssert.that(result.rejects()).satisfies(rejects -> {
      Map<Long, String> byLine = new HashMap<>();
      Map<Long, String> records = new HashMap<>();
      rejects.forEach(r -> byLine.put(r.getInt64("line"), r.getString("reason")));
      rejects.forEach(r -> records.put(r.getInt64("line"), r.getString("record")));
      // The personal id is never kept, nor the undeclared key; a container keeps its JSON.
      assertEquals("n=three, x=1", records.get(3L));
      assertEquals("", records.get(4L));
      assertEquals("n=1, x={\"nested\":1}", records.get(5L));
      assertEquals("", records.get(6L));
      assertEquals("n=2, x=NULL", records.get(7L));
      assertEquals("n 'three' is not an INT64", byLine.get(3L));
      assertEquals("not a JSON object", byLine.get(4L));
      assertEquals("x is a JSON object, not a value", byLine.get(5L));
      assertTrue(byLine.get(6L).startsWith("not JSON: "), byLine.get(6L));
      assertEquals("has no key 'x'", byLine.get(7L), "an absent key is not a NULL");
      assertEquals(5, byLine.size());
      return null;
    });
  }

  @Test
  void readsGzipAndGlobsAndTheRealOnlineRetailSlice(TestPipeline p, @TempDir Path dir) throws IOException {
    Schema schema = Schema.builder().addNullableField("InvoiceNo", Schema.FieldType.STRING)
        .addNullableField("Quantity", Schema.FieldType.INT64).addNullableField("InvoiceDate", Schema.FieldType.DATETIME)
        .addNullableField("UnitPrice", Schema.FieldType.DOUBLE).addNullableField("CustomerID", Schema.FieldType.DOUBLE)
        .build();
    byte[] slice = SourceIOTest.class.getResourceAsStream("/data/online_retail_slice.csv.gz").readAllBytes();
    Files.write(dir.resolve("part-1.csv.gz"), slice);
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(dir.resolve("part-2.csv.gz")))) {
      out.write("InvoiceNo,Quantity,InvoiceDate,UnitPrice,CustomerID\nX1,7,2011-01-01 00:00:00,1.0,1.0\n"
          .getBytes(StandardCharsets.UTF_8));
    }
    SourceIO.Result result = p.apply(SourceIO.read("retail_transactions", schema)
        .from(dir.resolve("part-*.csv.gz").toString()).withTimestampFormat("yyyy-MM-dd HH:mm:ss"));
    PAssert.that(result.rejects()).empty();
    PAssert.that(result.rows()).satisfies(rows -> {
      long count = 0;
      long quantity = 0;
      long noCustomer = 0;
      for (Row r : rows) {
        count++;
        quantity += r.getInt64("Quantity");
        noCustomer += r.getDouble("CustomerID") == null ? 1 : 0;
      }
      assertEquals(5001, count);
      assertEquals(45_929 + 7, quantity);
      assertEquals(1205, noCustomer);
      return null;
    });
    p.run().waitUntilFinish();
  }

  @Test
  void aFileWithoutADeclaredColumnFailsNamingFileAndColumn(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("orders.csv");
    Files.writeString(file, "customer_id,total\nc1,1\n");
    Pipeline p = Pipeline.create();
    p.apply(SourceIO.read("orders", ORDERS).from(file.toString()));
    Exception e = assertThrows(Exception.class, () -> p.run().waitUntilFinish());
    String message = String.valueOf(e.getCause() != null ? e.getCause().getMessage() : e.getMessage());
    assertTrue(message.contains("source orders: " + file + " has no column 'amount' in its header (it has: customer_id, total)"),
        message);
  }

  @Test
  void aKeyThatNoRecordHasFailsTheReadNamingTheFileOrTheSource(@TempDir Path dir) throws IOException {
    Schema schema = Schema.builder().addNullableField("id", Schema.FieldType.STRING)
        .addNullableField("x", Schema.FieldType.DOUBLE).build();
    Path good = dir.resolve("a.jsonl");
    Path renamed = dir.resolve("b.jsonl");
    Files.writeString(good, "{\"id\": \"a\", \"x\": 1}\n{\"id\": \"b\"}\n");
    Files.writeString(renamed, "{\"id\": \"c\", \"xx\": 1}\n{\"id\": \"d\", \"xx\": 2}\n{\"id\": \"e\"}\n");
    // Absent keys are rejects: the file without the key fails the read, whatever the other files hold.
    assertEquals("source events: " + renamed + ": none of its 3 records has key 'x', which the definition declares; "
        + "check the names in the data against the source's columns",
        failure(dir.resolve("*.jsonl"), schema, false));
    // Absent keys read as NULL: one file may be NULL throughout, but not the whole source.
    Pipeline p = Pipeline.create();
    PAssert.that(p.apply(SourceIO.read("events", schema).from(dir.resolve("*.jsonl").toString())
        .withFormat(SourceIO.Format.JSONL).withMissingKeysAsNull().withRecordsPerChunk(1)).rows())
        .containsInAnyOrder(Row.withSchema(schema).addValues("a", 1.0).build(),
            Row.withSchema(schema).addValues("b", null).build(), Row.withSchema(schema).addValues("c", null).build(),
            Row.withSchema(schema).addValues("d", null).build(), Row.withSchema(schema).addValues("e", null).build());
    p.run().waitUntilFinish();
    assertEquals("source events: none of its 3 records in any file has key 'x', which the definition declares; "
        + "check the names in the data against the source's columns", failure(renamed, schema, true));
  }

  private static String failure(Path pattern, Schema schema, boolean missingAsNull) {
    Pipeline p = Pipeline.create();
    SourceIO.Read read = SourceIO.read("events", schema).from(pattern.toString()).withFormat(SourceIO.Format.JSONL)
        .withRecordsPerChunk(1);
    p.apply(missingAsNull ? read.withMissingKeysAsNull() : read);
    Exception e = assertThrows(Exception.class, () -> p.run().waitUntilFinish());
    return String.valueOf(e.getCause() != null ? e.getCause().getMessage() : e.getMessage());
  }

  @Test
  void aPatternMatchingNothingFailsAndBadFormatsFailWhenBuilt(@TempDir Path dir) {
    Pipeline p = Pipeline.create();
    p.apply(SourceIO.read("orders", ORDERS).from(dir.resolve("none-*.csv").toString()));
    assertThrows(Exception.class, () -> p.run().waitUntilFinish());
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> Pipeline.create()
        .apply(SourceIO.read("orders", ORDERS).from("x.csv").withTimeZone("Mars/Olympus")));
    assertTrue(bad.getMessage().startsWith("Invalid SourceIO.Read of orders: bad date, timestamp or zone"), bad.getMessage());
  }

  private static Row reject(String file, long line, String record, String reason) {
    return Row.withSchema(SourceRejects.SCHEMA).addValues("orders", file, line, record, reason).build();
  }
}
