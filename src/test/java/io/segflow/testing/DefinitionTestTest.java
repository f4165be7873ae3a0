package io.segflow.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.segflow.pipeline.SegflowRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The shipped rules example, tested in isolation with hand-made transactions. */
@ExtendWith(TestPipelineExtension.class)
class DefinitionTestTest {
  private static final Path RULES = Path.of("segment-definitions/online_retail_rfm_rules.yaml");

  private static Map<String, Object> line(String invoice, long quantity, String date, double price, Double customer) {
    Map<String, Object> row = new HashMap<>();
    row.put("InvoiceNo", invoice);
    row.put("Quantity", quantity);
    row.put("InvoiceDate", Instant.parse(date));
    row.put("UnitPrice", price);
    row.put("CustomerID", customer);
    return row;
  }

  @Test
  void theRulesExampleSegmentsHandMadeCustomers(TestPipeline p, @TempDir Path out) {
    List<Map<String, Object>> lines = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      lines.add(line("A" + i, 2, "2011-12-0" + (1 + i % 8) + "T10:00:00Z", 10.0, 1.0)); // 12 invoices, last week
    }
    lines.add(line("B1", 1, "2011-11-10T10:00:00Z", 5.0, 2.0));   // one purchase, 30 days before the as-of date
    lines.add(line("C1", 1, "2011-02-13T10:00:00Z", 5.0, 3.0));   // one purchase, 300 days before
    lines.add(line("C2", -1, "2011-12-01T10:00:00Z", 5.0, 3.0));  // a return: not a purchase
    lines.add(line("D1", 1, "2011-12-01T10:00:00Z", 5.0, null));  // no customer: not counted
    var g = DefinitionTest.of(RULES).input("retail_transactions", lines).build(p, out);
    PAssert.that(g.members()).satisfies(members -> {
      Map<Long, String> segment = new HashMap<>();
      members.forEach(m -> segment.put(m.getInt64("customer_id"), m.getString("segment_label")));
      assertEquals(Map.of(1L, "champions", 2L, "new_customers", 3L, "lapsed"), segment);
      return null;
    });
    PAssert.that(g.rejects()).empty();
    p.run().waitUntilFinish();
  }

  @Test
  void aRunPublishesWhatPassesItsChecksAndRefusesWhatDoesNot(@TempDir Path out) throws Exception {
    List<Map<String, Object>> lines = List.of(
        line("B1", 1, "2011-11-10T10:00:00Z", 5.0, 2.0), line("C1", 1, "2011-02-13T10:00:00Z", 5.0, 3.0));
    Path lenient = withMinimumSegmentSize(out.resolve("lenient.yaml"), 1);
    SegflowRun.Outcome outcome = DefinitionTest.of(lenient).input("retail_transactions", lines).run(out.resolve("ok"));
    assertEquals(2, outcome.report().members());
    assertTrue(outcome.report().balanced());
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:" + out.resolve("ok/warehouse.duckdb"));
        Statement sql = db.createStatement();
        ResultSet rows = sql.executeQuery("SELECT customer_id, segment_label FROM online_retail_rfm_rules_current_members"
            + " ORDER BY customer_id")) {
      List<String> published = new ArrayList<>();
      while (rows.next()) {
        published.add(rows.getLong(1) + " " + rows.getString(2));
      }
      assertEquals(List.of("2 new_customers", "3 lapsed"), published);
    }

    // The same rules with output.min_segment_size: 2, which one-member segments do not reach.
    Path strict = withMinimumSegmentSize(out.resolve("strict.yaml"), 2);
    SegflowRun.Failure refused = assertThrows(SegflowRun.Failure.class,
        () -> DefinitionTest.of(strict).input("retail_transactions", lines).run(out.resolve("refused")));
    assertTrue(refused.getMessage().contains("fewer than output.min_segment_size (2); the run was not published"),
        refused.getMessage());
    assertTrue(refused.keptFiles().isPresent());
  }

  /** A copy of the shipped rules whose output.min_segment_size is {@code size} (the shipped file says 20). */
  private static Path withMinimumSegmentSize(Path copy, int size) throws java.io.IOException {
    String shipped = Files.readString(RULES);
    String changed = shipped.replaceFirst("(?m)^  min_segment_size: \\d+$", "  min_segment_size: " + size);
    assertNotEquals(shipped, changed, "the shipped rules no longer declare output.min_segment_size");
    return Files.writeString(copy, changed);
  }

  @Test
  void featuresNamedLikeTheMembersOwnColumnsAreProfiledUnderTheirNames(@TempDir Path out) throws Exception {
    String common = "apiVersion: segflow/v1\nentity: customer_id\nsources:\n  orders:\n"
        + "    columns: {customer_id: STRING, amount: FLOAT64}\nfeatures:\n"
        + "  sql: SELECT customer_id, SUM(amount) AS distance, COUNT(*) AS segment_id FROM orders GROUP BY customer_id\n";
    Path kmeans = out.resolve("kmeans.yaml");
    Files.writeString(kmeans, common.replace("apiVersion: segflow/v1\n", "apiVersion: segflow/v1\nname: named_kmeans\n"
        + "description: Features named distance and segment_id.\n")
        + "segmentation:\n  method: kmeans\n  features: [distance, segment_id]\n  k: 2\n");
    Path rules = out.resolve("rules.yaml");
    Files.writeString(rules, common.replace("apiVersion: segflow/v1\n", "apiVersion: segflow/v1\nname: named_rules\n"
        + "description: Features named distance and segment_id.\n")
        + "segmentation:\n  method: rules\n  rules:\n    - {segment: big, when: distance >= 50}\n  default: small\n");
    List<Map<String, Object>> orders = new ArrayList<>();
    for (int c = 0; c < 20; c++) {
      orders.add(Map.of("customer_id", "c" + c, "amount", c < 10 ? 10.0 : 100.0));
      orders.add(Map.of("customer_id", "c" + c, "amount", 1.0));
    }
    for (Path definition : List.of(kmeans, rules)) {
      SegflowRun.Outcome outcome = DefinitionTest.of(definition).input("orders", orders).run(out.resolve("run"));
      List<String> header = Files.readAllLines(outcome.files().orElseThrow().resolve("segments.csv")).subList(0, 1);
      assertTrue(header.get(0).contains("distance_mean,distance_median,distance_min,distance_max,segment_id_mean"),
          definition + ": " + header);
      assertEquals(20, outcome.report().members());
    }
  }

  @Test
  void missingAndUnmatchedInputsAreNamed(@TempDir Path out) {
    IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
        () -> DefinitionTest.of(RULES).input("orders", List.of()).build(Pipeline.create(), out));
    assertEquals("Missing test input: retail_transactions, available: [orders]", missing.getMessage());
    IllegalArgumentException unmatched = assertThrows(IllegalArgumentException.class,
        () -> DefinitionTest.of(RULES).input("retail_transactions", List.of()).input("orders", List.of())
            .build(Pipeline.create(), out));
    assertEquals("Unmatched test input: orders, the definition's sources: [retail_transactions]", unmatched.getMessage());
    IllegalArgumentException column = assertThrows(IllegalArgumentException.class,
        () -> DefinitionTest.of(RULES).input("retail_transactions", List.of(Map.of("Price", 1.0)))
            .build(Pipeline.create(), out));
    assertEquals("test input retail_transactions has column 'Price', which the definition does not declare: "
        + "[InvoiceNo, Quantity, InvoiceDate, UnitPrice, CustomerID]", column.getMessage());
  }
}
