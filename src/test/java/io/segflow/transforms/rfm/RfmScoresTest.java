package io.segflow.transforms.rfm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.RowCoder;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestPipelineExtension.class)
class RfmScoresTest {
  private static final Schema SCHEMA = Schema.builder().addStringField("id")
      .addNullableField("recency", Schema.FieldType.INT64)
      .addNullableField("orders", Schema.FieldType.INT32)
      .addNullableField("spend", Schema.FieldType.DOUBLE)
      .build();

  private static Row row(String id, Long recency, Integer orders, Double spend) {
    return Row.withSchema(SCHEMA).addValues(id, recency, orders, spend).build();
  }

  private static RfmScores.Result score(TestPipeline p, List<Row> rows, int bins) {
    return p.apply(Create.of(rows).withRowSchema(SCHEMA))
        .apply(RfmScores.of("id", "recency", "orders", "spend").withBins(bins));
  }

  /** Each entity's scores as "id:r,f,m". */
  private static List<String> scores(Iterable<Row> rows) {
    List<String> out = new ArrayList<>();
    rows.forEach(r -> out.add(r.getString("id") + ":" + r.getInt32("r_score") + "," + r.getInt32("f_score") + ","
        + r.getInt32("m_score")));
    Collections.sort(out);
    return out;
  }

  /**
   * An independent reference for distinct values: the score is the quantile the rank falls in,
   * ceil(rank * bins / n) with ranks from 1 in ascending order (descending for recency).
   */
  private static int[] byRank(double[] values, int bins, boolean reversed) {
    Integer[] order = new Integer[values.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> reversed ? Double.compare(values[b], values[a]) : Double.compare(values[a], values[b]));
    int[] score = new int[values.length];
    for (int rank = 1; rank <= values.length; rank++) {
      score[order[rank - 1]] = (int) Math.ceil((double) rank * bins / values.length);
    }
    return score;
  }

  /** 0 to n - 1 in a seeded random order: distinct values. */
  private static double[] permutation(int n, Random random) {
    List<Double> values = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      values.add((double) i);
    }
    Collections.shuffle(values, random);
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }

  @Test
  void distinctValuesGetTheQuantileTheirRankFallsInWithRecencyReversed(TestPipeline p) {
    Random random = new Random(7);
    int n = 1003; // not a multiple of the bins
    double[] recency = permutation(n, random);
    double[] orders = Arrays.stream(permutation(n, random)).map(x -> 3 * x + 1).toArray();
    double[] spend = Arrays.stream(permutation(n, random)).map(x -> 1.37 * x + 0.25).toArray();
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      rows.add(row("c" + i, (long) recency[i], (int) orders[i], spend[i]));
    }
    assertEquals(n, Arrays.stream(recency).distinct().count(), "the reference assumes distinct values");
    for (int bins : new int[] {5, 4}) {
      int[] r = byRank(recency, bins, true);
      int[] f = byRank(orders, bins, false);
      int[] m = byRank(spend, bins, false);
      List<String> expected = new ArrayList<>();
      Map<Integer, Integer> perScore = new HashMap<>();
      for (int i = 0; i < n; i++) {
        expected.add("c" + i + ":" + r[i] + "," + f[i] + "," + m[i]);
        perScore.merge(m[i], 1, Integer::sum);
      }
      Collections.sort(expected);
      // Each score holds n / bins entities, give or take one.
      perScore.values().forEach(count -> assertTrue(Math.abs(count - (double) n / bins) <= 1, perScore.toString()));
      PAssert.that(score(p.apply("Bins" + bins, Create.of(rows).withRowSchema(SCHEMA)), bins).scored())
          .satisfies(actual -> {
            List<String> got = scores(actual);
            List<String> wrong = got.stream().filter(g -> !expected.contains(g)).limit(5).toList();
            assertEquals(List.of(), wrong, "scores unlike the reference's, of " + got.size());
            assertEquals(expected.size(), got.size());
            return null;
          });
    }
    p.run().waitUntilFinish();
  }

  private static RfmScores.Result score(PCollection<Row> rows, int bins) {
    return rows.apply("Score" + bins, RfmScores.of("id", "recency", "orders", "spend").withBins(bins));
  }

  @Test
  void equalValuesShareAScoreAndAValueTiedAcrossBoundsTakesTheLowest(TestPipeline p) {
    // Ten customers: six with one order, then 2, 3, 4, 5 orders. Bounds at ranks 2, 4, 6, 8: 1, 1, 1, 3;
    // the six share rank 1, so score 1, and scores 2 and 3 are empty. Recency is ranked negated.
    List<Row> rows = new ArrayList<>();
    int[] orders = {1, 1, 1, 1, 1, 1, 2, 3, 4, 5};
    for (int i = 0; i < orders.length; i++) {
      rows.add(row("c" + i, 10L * i, orders[i], 100.0 * i));
    }
    RfmScores.Result result = score(p, rows, 5);
    PAssert.thatSingleton(result.thresholds()).isEqualTo(new RfmThresholds(5, 10,
        new double[][] {{-80, -60, -40, -20}, {1, 1, 1, 3}, {100, 300, 500, 700}}));
    PAssert.that(result.scored()).satisfies(actual -> {
      assertEquals(List.of("c0:5,1,1", "c1:5,1,1", "c2:4,1,2", "c3:4,1,2", "c4:3,1,3", "c5:3,1,3",
          "c6:2,4,4", "c7:2,4,4", "c8:1,5,5", "c9:1,5,5"), scores(actual));
      return null;
    });
    p.run().waitUntilFinish();
  }

  /**
   * The published model reads in the measures' units: with the bounds of the test above, r_score 5 is a
   * recency below 20, f_score 4 more than 1 and at most 3 orders, and f_score 2 and 3 hold no one.
   */
  @Test
  void theModelSaysWhichValuesEachScoreHolds() throws Exception {
    RfmModel model = new RfmModel(List.of("recency_days", "orders", "spend"), new RfmThresholds(5, 10,
        new double[][] {{-80, -60, -40, -20}, {1, 1, 1, 3}, {100, 300, 500, 700}}));
    com.fasterxml.jackson.databind.JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(model.toJson());
    assertEquals("rfm", json.get("kind").asText());
    assertEquals(5, json.get("bins").asInt());
    assertEquals(10, json.get("entities").asLong());
    assertEquals("[{\"score\":1,\"at_least\":80.0,\"below\":null},{\"score\":2,\"at_least\":60.0,\"below\":80.0},"
        + "{\"score\":3,\"at_least\":40.0,\"below\":60.0},{\"score\":4,\"at_least\":20.0,\"below\":40.0},"
        + "{\"score\":5,\"at_least\":null,\"below\":20.0}]", json.get("scores").get(0).get("ranges").toString());
    assertEquals("[{\"score\":1,\"above\":null,\"at_most\":1.0},{\"score\":2,\"above\":1.0,\"at_most\":1.0},"
        + "{\"score\":3,\"above\":1.0,\"at_most\":1.0},{\"score\":4,\"above\":1.0,\"at_most\":3.0},"
        + "{\"score\":5,\"above\":3.0,\"at_most\":null}]", json.get("scores").get(1).get("ranges").toString());
    assertEquals(List.of("r_score:recency_days", "f_score:orders", "m_score:spend"),
        java.util.stream.StreamSupport.stream(json.get("scores").spliterator(), false)
            .map(m -> m.get("field").asText() + ":" + m.get("measure").asText()).toList());
    // Every value scores as the ranges say: the model and the scores cannot disagree.
    RfmThresholds t = model.thresholds();
    for (double recency : new double[] {0, 19.5, 20, 39, 40, 60, 79.9, 80, 1000}) {
      int score = t.score(RfmThresholds.RECENCY, recency);
      com.fasterxml.jackson.databind.JsonNode range = json.get("scores").get(0).get("ranges").get(score - 1);
      assertTrue((range.get("at_least").isNull() || recency >= range.get("at_least").asDouble())
          && (range.get("below").isNull() || recency < range.get("below").asDouble()), recency + " -> " + score);
    }
  }

  @Test
  void anEntityWithoutAValueIsRejectedNamingTheMeasureAndLeftOutOfTheBounds(TestPipeline p) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      rows.add(row("c" + i, (long) i, i + 1, i * 10.0));
    }
    rows.add(row("no_orders", 1L, null, 5.0));
    rows.add(row("nan_spend", 1L, 3, Double.NaN));
    RfmScores.Result result = score(p, rows, 2);
    PAssert.thatSingleton(result.thresholds()).isEqualTo(new RfmThresholds(2, 4,
        new double[][] {{-2}, {2}, {10}}));
    PAssert.that(result.scored()).satisfies(actual -> {
      assertEquals(List.of("c0:2,1,1", "c1:2,1,1", "c2:1,2,2", "c3:1,2,2"), scores(actual));
      return null;
    });
    PAssert.that(result.rejects()).satisfies(actual -> {
      List<String> reasons = new ArrayList<>();
      actual.forEach(r -> reasons.add(r.getString("entity") + ": " + r.getString("reason")));
      Collections.sort(reasons);
      assertEquals(List.of("nan_spend: spend is NaN; an RFM score needs a value of each measure",
          "no_orders: orders is NULL; an RFM score needs a value of each measure"), reasons);
      return null;
    });
    p.run().waitUntilFinish();
  }

  @Test
  void theScoresKeepTheInputFieldsAndAnInputScoreFieldIsRefused(TestPipeline p) {
    RfmScores.Result result = score(p, List.of(row("only", 3L, 2, 9.5)), 5);
    assertEquals(List.of("id", "recency", "orders", "spend", "r_score", "f_score", "m_score"),
        result.scored().getSchema().getFieldNames());
    // A lone entity ranks n of n on every measure: the top score (and the bounds are below any value).
    PAssert.that(result.scored()).satisfies(actual -> {
      assertEquals(List.of("only:5,5,5"), scores(actual));
      return null;
    });
    p.run().waitUntilFinish();

    Schema clash = Schema.builder().addStringField("id").addInt64Field("r_score").addInt64Field("f")
        .addDoubleField("m").build();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Pipeline.create()
        .apply(Create.empty(RowCoder.of(clash))).setRowSchema(clash).apply(RfmScores.of("id", "r_score", "f", "m")));
    assertTrue(e.getMessage().contains("already has a field 'r_score'"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> RfmScores.of("id", "r", "f", "m").withBins(1));
  }
}
