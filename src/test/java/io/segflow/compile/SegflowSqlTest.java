package io.segflow.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestPipelineExtension.class)
class SegflowSqlTest {
  @Test
  void theRewriteKeepsEveryPosition() {
    String sql = "SELECT k, COUNT(DISTINCT x), count( distinct  y), COUNT(*)\nFROM t GROUP BY k";
    String rewritten = SegflowSql.rewrite(sql);
    assertEquals("SELECT k, COUNT_DISTINCT(x), COUNT_DISTINCT(  y), COUNT(*)\nFROM t GROUP BY k", rewritten);
    assertEquals(sql.length(), rewritten.length());
    assertEquals("COUNT(DISTINCT\n x)", SegflowSql.rewrite("COUNT(DISTINCT\n x)"), "across lines it is left alone");
  }

  @Test
  void countDistinctCountsDistinctNonNullValuesOfAnyType(TestPipeline p) {
    Schema s = Schema.builder().addStringField("k").addNullableField("inv", Schema.FieldType.STRING)
        .addNullableField("q", Schema.FieldType.INT64).build();
    var rows = p.apply(Create.of(
        Row.withSchema(s).addValues("a", "i1", 1L).build(),
        Row.withSchema(s).addValues("a", "i1", 2L).build(),
        Row.withSchema(s).addValues("a", "i2", null).build(),
        Row.withSchema(s).addValues("a", null, 2L).build(),
        Row.withSchema(s).addValues("b", "i3", 5L).build()).withRowSchema(s));
    var out = PCollectionTuple.of(new TupleTag<Row>("t"), rows)
        .apply(SegflowSql.transform("SELECT k, COUNT(DISTINCT inv) AS invoices, COUNT(DISTINCT q) AS qs FROM t GROUP BY k"));
    PAssert.that(out).satisfies(found -> {
      java.util.Map<String, String> byKey = new java.util.HashMap<>();
      found.forEach(r -> byKey.put(r.getString("k"), r.getValue("invoices") + "," + r.getValue("qs")));
      assertEquals(java.util.Map.of("a", "2,2", "b", "1,1"), byKey);
      return null;
    });
    p.run().waitUntilFinish();
  }
}
