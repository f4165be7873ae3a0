package io.segflow.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.runners.TransformHierarchy;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestPipelineExtension.class)
class SegflowSqlTest {
  private static final Schema ORDERS = Schema.builder().addStringField("k")
      .addNullableField("amount", Schema.FieldType.DOUBLE)
      .addNullableField("quantity", Schema.FieldType.INT64)
      .addNullableField("ts", Schema.FieldType.DATETIME)
      .build();

  @Test
  void everyPositionMapsBackToWhatTheAnalystWrote() {
    String sql = "SELECT k,\n  MEDIAN(amount) AS m, DATE_DIFF(@as_of, MAX(ts), DAY) AS r, nope\nFROM t GROUP BY k";
    RewrittenSql rewritten = SegflowSql.rewrite(sql, Map.of("as_of", "DATE '2011-03-10'"));
    assertTrue(rewritten.text().contains("TIMESTAMPDIFF(DAY, CAST((MAX(ts)) AS DATE), CAST((DATE '2011-03-10') AS DATE))"),
        rewritten.text());
    int nope = rewritten.text().indexOf("nope");
    assertEquals(sql.indexOf("nope"), rewritten.originalOffset(nope));
    int[] lineColumn = RewrittenSql.lineColumn(rewritten.text(), nope);
    assertEquals(List.of(2, sql.indexOf("nope") - sql.indexOf('\n')), List.of(rewritten.originalLineColumn(sql, lineColumn[0], lineColumn[1])[0],
        rewritten.originalLineColumn(sql, lineColumn[0], lineColumn[1])[1]));
    // Inside a written construct, a position maps to the function's name.
    assertEquals(sql.indexOf("MEDIAN"), rewritten.originalOffset(rewritten.text().indexOf("SF_PERCENTILE_1")));
    assertEquals("Cannot apply 'MEDIAN'", rewritten.inAnalystTerms("Cannot apply 'SF_PERCENTILE_1'"));
  }

  @Test
  void stringsQuotedNamesAndCommentsAreNeverRewritten() {
    String sql = "SELECT 'MEDIAN(x) @p', `STDDEV(y)` -- COUNT(DISTINCT z) @q\n /* DATE_DIFF(a, b, DAY) */ FROM t";
    assertEquals(sql, SegflowSql.rewrite(sql, Map.of()).text());
  }

  @Test
  void constructsUsedWronglyAreLocated() {
    String badPart = "SELECT DATE_DIFF(a, b, FORTNIGHT) FROM t";
    SqlRewriter.Problem p = assertThrows(SqlRewriter.Problem.class, () -> SegflowSql.rewrite(badPart, Map.of()));
    assertEquals(badPart.indexOf("FORTNIGHT"), p.offset);
    assertEquals("DATE_DIFF takes one of DAY, MONTH, QUARTER, WEEK, YEAR as its part, got FORTNIGHT", p.getMessage());

    String unknown = "SELECT x FROM t WHERE d < @asof";
    p = assertThrows(SqlRewriter.Problem.class, () -> SegflowSql.rewrite(unknown, Map.of("as_of", "DATE '2011-01-01'")));
    assertEquals(unknown.indexOf("@asof"), p.offset);
    assertEquals("@asof is not a parameter of this definition; it declares @as_of", p.getMessage());

    String badP = "SELECT PERCENTILE_CONT(x, 1.5) FROM t";
    p = assertThrows(SqlRewriter.Problem.class, () -> SegflowSql.rewrite(badP, Map.of()));
    assertEquals(badP.indexOf("1.5"), p.offset);

    String arity = "SELECT STDDEV(x, y) FROM t";
    p = assertThrows(SqlRewriter.Problem.class, () -> SegflowSql.rewrite(arity, Map.of()));
    assertEquals("STDDEV takes 1 argument, STDDEV(x), got 2", p.getMessage());
  }

  @Test
  void theAddedFunctionsHaveBigQuerysSemantics(TestPipeline p) {
    var rows = p.apply(Create.of(
        row("a", 1.0, 1L, "2011-01-31T23:00:00Z"),
        row("a", 2.0, 1L, "2011-02-06T01:00:00Z"),
        row("a", 3.0, 3L, "2011-02-05T01:00:00Z"),
        row("a", 4.0, 3L, "2011-03-01T00:00:00Z"),
        row("a", null, null, "2011-02-01T00:00:00Z"),
        row("b", 5.0, null, "2011-03-09T12:00:00Z")).withRowSchema(ORDERS));
    String sql = """
        SELECT k,
          COUNT(DISTINCT quantity) AS quantities,
          STDDEV(amount) AS sd, STDDEV_POP(quantity) AS sd_pop,
          MEDIAN(amount) AS median, PERCENTILE_CONT(amount, 0.9) AS p90,
          DATE_DIFF(@as_of, MAX(ts), DAY) AS recency_days,
          DATE_DIFF(@as_of, MIN(ts), MONTH) AS months,
          DATE_DIFF(@as_of, MIN(ts), WEEK) AS weeks,
          TIMESTAMP_DIFF(MAX(ts), MIN(ts), HOUR) AS tenure_hours,
          DATE_TRUNC(MIN(ts), MONTH) AS first_month,
          TIMESTAMP_TRUNC(MIN(ts), DAY) AS first_day
        FROM t
        WHERE quantity IS NULL OR quantity < @cap
        GROUP BY k""";
    RewrittenSql rewritten = SegflowSql.rewrite(sql, SqlParameters.literals(
        Map.of("as_of", new io.segflow.dsl.model.ParameterSpec("as_of", io.segflow.dsl.model.ColumnType.DATE, "", ""),
            "cap", new io.segflow.dsl.model.ParameterSpec("cap", io.segflow.dsl.model.ColumnType.INT64, "", "")),
        Map.of("as_of", "2011-03-10", "cap", "10")));
    var out = PCollectionTuple.of(new TupleTag<Row>("t"), rows).apply(SegflowSql.transform(rewritten));
    PAssert.that(out).satisfies(found -> {
      Map<String, Row> byKey = new HashMap<>();
      found.forEach(r -> byKey.put(r.getString("k"), r));
      Row a = byKey.get("a");
      assertEquals(2L, a.getInt64("quantities"));
      assertEquals(Math.sqrt(5.0 / 3.0), a.getDouble("sd"), 1e-15);
      assertEquals(1.0, a.getDouble("sd_pop"), 0.0);
      assertEquals(2.5, a.getDouble("median"), 0.0);
      assertEquals(3.7, a.getDouble("p90"), 1e-12);
      assertEquals(9L, ((Number) a.getValue("recency_days")).longValue());
      assertEquals(2L, ((Number) a.getValue("months")).longValue(), "month boundaries crossed, Jan 31 to Mar 10");
      assertEquals(5L, ((Number) a.getValue("weeks")).longValue(), "Sunday-based weeks, as BigQuery's WEEK");
      assertEquals(28 * 24 + 1L, ((Number) a.getValue("tenure_hours")).longValue());
      assertEquals(LocalDate.of(2011, 1, 1), a.getValue("first_month"));
      assertEquals(Instant.parse("2011-01-31T00:00:00Z"), a.getDateTime("first_day").toInstant());
      Row b = byKey.get("b");
      assertNull(b.getValue("sd"), "STDDEV of one value is NULL");
      assertNull(b.getValue("sd_pop"), "STDDEV_POP of no values is NULL");
      assertEquals(5.0, b.getDouble("median"), 0.0);
      assertEquals(1L, ((Number) b.getValue("recency_days")).longValue(), "days between dates, not whole 24 hours");
      return null;
    });
    p.run().waitUntilFinish();
  }

  @Test
  void noSqlTextMakesTheRewriterFailOtherwiseThanWithALocatedProblem() {
    String base = "SELECT k, COUNT(DISTINCT x), STDDEV(CAST(y AS DOUBLE)), MEDIAN(z), PERCENTILE_CONT(z, 0.25),\n"
        + " DATE_DIFF(@as_of, MAX(ts), MONTH), TIMESTAMP_DIFF(MAX(ts), MIN(ts), HOUR), DATE_TRUNC(MIN(ts), WEEK),\n"
        + " TIMESTAMP_TRUNC(MAX(ts), DAY) -- 'x' \"q\" /* c */ `n`\nFROM t WHERE s = 'it''s' GROUP BY k";
    String alphabet = "(),'\"`@-/*\n 0.5 DAY DISTINCT";
    java.util.Random random = new java.util.Random(7);
    for (int i = 0; i < 5_000; i++) {
      StringBuilder sql = new StringBuilder(base);
      for (int edits = 1 + random.nextInt(4); edits > 0; edits--) {
        int at = random.nextInt(sql.length() + 1);
        switch (random.nextInt(3)) {
          case 0 -> sql.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
          case 1 -> sql.delete(at, Math.min(sql.length(), at + 1 + random.nextInt(6)));
          default -> sql.setLength(at);
        }
      }
      try {
        RewrittenSql r = SegflowSql.rewrite(sql.toString(), Map.of("as_of", "DATE '2011-12-10'"));
        for (int offset = 0; offset <= r.text().length(); offset++) {
          int original = r.originalOffset(offset);
          assertTrue(original >= 0 && original <= sql.length(), "offset " + offset + " of " + r.text());
        }
      } catch (SqlRewriter.Problem p) {
        assertTrue(p.offset >= 0 && p.offset <= sql.length(), p.getMessage());
      }
    }
  }

  @Test
  void stddevIsExactWhateverTheOrder() {
    SqlFunctions.StddevFn fn = new SqlFunctions.StddevFn(true);
    double[] values = {1e9 + 1, 1e9 + 2, 1e9 + 3, 1e9 + 4, 0.1, 0.2};
    SqlFunctions.Moments forward = fn.createAccumulator();
    for (double v : values) {
      forward = fn.addInput(forward, v);
    }
    SqlFunctions.Moments left = fn.createAccumulator();
    SqlFunctions.Moments right = fn.createAccumulator();
    for (int i = values.length - 1; i >= 0; i--) {
      if (i % 2 == 0) {
        left = fn.addInput(left, values[i]);
      } else {
        right = fn.addInput(right, values[i]);
      }
    }
    double merged = fn.extractOutput(fn.mergeAccumulators(List.of(right, left)));
    assertEquals(fn.extractOutput(forward), merged, 0.0);
    assertEquals(Double.doubleToLongBits(fn.extractOutput(forward)), Double.doubleToLongBits(merged));
  }

  @Test
  void everyGroupByRunsThroughShardsWithBeamSqlsResults(TestPipeline p) {
    var rows = p.apply(Create.of(
        row("a", 1.0, 1L, "2011-01-31T23:00:00Z"),
        row("a", 2.0, 1L, "2011-02-06T01:00:00Z"),
        row("a", null, 3L, "2011-02-05T01:00:00Z"),
        row("b", 5.0, null, "2011-03-09T12:00:00Z")).withRowSchema(ORDERS));
    // Two levels, as the RFM example: nulls in SUM/MAX/MIN/AVG, COUNT(*) and COUNT(x), SELECT DISTINCT.
    String sql = """
        SELECT k, COUNT(*) AS n_groups, SUM(total) AS total, MAX(latest) AS latest, MIN(n) AS fewest,
          AVG(total) AS mean, COUNT(total) AS with_total
        FROM (SELECT k, quantity, SUM(amount) AS total, MAX(ts) AS latest, COUNT(*) AS n
              FROM t GROUP BY k, quantity) AS g
        GROUP BY k""";
    var out = PCollectionTuple.of(new TupleTag<Row>("t"), rows).apply(SegflowSql.transform(sql));
    var distinct = PCollectionTuple.of(new TupleTag<Row>("t"), rows)
        .apply("Distinct", SegflowSql.transform("SELECT DISTINCT k FROM t"));
    List<String> shardedSteps = new ArrayList<>();
    p.traverseTopologically(new Pipeline.PipelineVisitor.Defaults() {
      @Override
      public CompositeBehavior enterCompositeTransform(TransformHierarchy.Node node) {
        if (node.getFullName().endsWith("/ShardedGroupBy")) {
          shardedSteps.add(node.getFullName());
        }
        return CompositeBehavior.ENTER_TRANSFORM;
      }
    });
    assertEquals(3, shardedSteps.size(), "each GROUP BY and the DISTINCT: " + shardedSteps);
    PAssert.that(out).satisfies(found -> {
      Map<String, Row> byKey = new HashMap<>();
      found.forEach(r -> byKey.put(r.getString("k"), r));
      assertEquals(2, byKey.size());
      Row a = byKey.get("a");
      assertEquals(2L, a.getInt64("n_groups"));
      assertEquals(3.0, a.getDouble("total"), 0.0, "the NULL-only group's SUM is NULL and SUM skips it");
      assertEquals(Instant.parse("2011-02-06T01:00:00Z"), a.getDateTime("latest").toInstant());
      assertEquals(1L, a.getInt64("fewest"));
      assertEquals(3.0, a.getDouble("mean"), 0.0);
      assertEquals(1L, a.getInt64("with_total"));
      Row b = byKey.get("b");
      assertEquals(5.0, b.getDouble("total"), 0.0);
      return null;
    });
    PAssert.that(distinct).satisfies(found -> {
      List<String> keys = new ArrayList<>();
      found.forEach(r -> keys.add(r.getString("k")));
      assertEquals(List.of("a", "b"), keys.stream().sorted().toList());
      return null;
    });
    p.run().waitUntilFinish();
  }

  private static Row row(String k, Double amount, Long quantity, String ts) {
    return Row.withSchema(ORDERS).addValues(k, amount, quantity, Instant.parse(ts)).build();
  }
}
