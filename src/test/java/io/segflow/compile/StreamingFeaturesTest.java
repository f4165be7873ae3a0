package io.segflow.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.segflow.dsl.load.DefinitionLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which features SQL can be kept per entity as events arrive, and where and why the rest cannot. */
class StreamingFeaturesTest {
  private static final String HEAD = """
      apiVersion: segflow/v1
      name: streaming
      description: Orders as events.
      entity: customer_id
      parameters:
        as_of: {type: TIMESTAMP, default: 2024-01-01, description: Recency is measured to this instant.}
      sources:
        orders:
          columns: {customer_id: STRING, order_id: STRING, amount: FLOAT64, ordered_at: TIMESTAMP}
        customers:
          columns: {customer_id: STRING, region: STRING}
      segmentation:
        method: kmeans
        features: [orders, spend]
        k: 3
      features:
        sql: |
      """;

  private static StreamingFeatures.Analysis analyse(String sql, String source) {
    String yaml = HEAD + sql.indent(4);
    var loaded = DefinitionLoader.loadBytes(Path.of("streaming.yaml"), "streaming.yaml",
        yaml.getBytes(StandardCharsets.UTF_8));
    assertEquals(List.of(), loaded.diagnostics(), yaml);
    return StreamingFeatures.analyse(CompiledDefinition.of(loaded.definition().orElseThrow()), source);
  }

  @Test
  void oneGroupByOfMergeableAggregatesStreamsAndRecencyMovesWithTime() {
    StreamingFeatures.Analysis a = analyse("""
        SELECT o.customer_id, COUNT(*) AS orders, SUM(o.amount) AS spend,
          COUNT(DISTINCT o.order_id) AS distinct_orders, MAX(c.region) AS region,
          TIMESTAMP_DIFF(@as_of, MAX(o.ordered_at), DAY) AS recency_days
        FROM orders AS o JOIN customers AS c ON o.customer_id = c.customer_id
        WHERE o.ordered_at < @as_of AND o.amount > 0
        GROUP BY o.customer_id""", "orders");
    assertEquals(List.of(), a.reasons());
    assertTrue(a.streams());
    assertEquals(List.of("COUNT(*)", "SUM(o.amount)", "COUNT(DISTINCT o.order_id)", "MAX(c.region)",
        "MAX(o.ordered_at)"), a.aggregates());
    assertEquals(List.of("recency_days"), a.timeBased());
    assertEquals(List.of("customers"), a.sideInputs());
  }

  @Test
  void anAggregateThatNeedsEveryValueIsNamedWhereItIsWritten() {
    StreamingFeatures.Analysis a = analyse("""
        SELECT customer_id, COUNT(*) AS orders, SUM(amount) AS spend,
          MEDIAN(amount) AS typical
        FROM orders
        GROUP BY customer_id""", "orders");
    assertEquals(1, a.reasons().size(), a.reasons().toString());
    // Line 19 of the definition is the SQL's line 2; MEDIAN starts at its column 3, the file's 7.
    assertEquals("streaming.yaml:19:7: MEDIAN needs every value at once, so it cannot be kept up to date as events "
        + "arrive; COUNT, SUM, MIN, MAX, AVG and COUNT(DISTINCT ...) can", a.reasons().get(0).render());
  }

  @Test
  void aSubqueryAGroupingBeyondTheEntityAndAMovingWindowAreReasons() {
    StreamingFeatures.Analysis sub = analyse("""
        SELECT customer_id, COUNT(*) AS orders, SUM(total) AS spend
        FROM (SELECT customer_id, order_id, SUM(amount) AS total FROM orders GROUP BY customer_id, order_id) AS o
        GROUP BY customer_id""", "orders");
    assertTrue(sub.reasons().stream().anyMatch(r -> r.render().startsWith("streaming.yaml:19:")
        && r.message().startsWith("a subquery in FROM")), sub.reasons().toString());
    assertEquals(1, sub.reasons().size(), "the subquery says where the events went: " + sub.reasons());

    StreamingFeatures.Analysis grouped = analyse("""
        SELECT customer_id, COUNT(*) AS orders, SUM(amount) AS spend
        FROM orders
        GROUP BY customer_id, order_id""", "orders");
    assertEquals(List.of("GROUP BY groups by more than customer_id: the state is kept per customer_id, so the "
        + "GROUP BY must be customer_id alone"), grouped.reasons().stream().map(StreamingFeatures.Reason::message).toList());

    StreamingFeatures.Analysis window = analyse("""
        SELECT customer_id, COUNT(*) AS orders, SUM(amount) AS spend
        FROM orders
        WHERE TIMESTAMP_DIFF(@as_of, ordered_at, DAY) <= 365
        GROUP BY customer_id""", "orders");
    assertEquals(1, window.reasons().size(), window.reasons().toString());
    assertTrue(window.reasons().get(0).render().startsWith("streaming.yaml:20:11: a filter that moves with time "
        + "(TIMESTAMP_DIFF(@as_of, ordered_at, DAY) <= 365)"), window.reasons().get(0).render());
  }

  @Test
  void theShippedExamplesSayWhetherTheyStream() {
    StreamingFeatures.Analysis rules = shipped("online_retail_rfm_rules", "retail_transactions");
    assertEquals(List.of(), rules.reasons());
    assertEquals(List.of("MAX(InvoiceDate)", "COUNT(DISTINCT InvoiceNo)", "SUM(Quantity * UnitPrice)"),
        rules.aggregates());
    assertEquals(List.of("recency_days"), rules.timeBased());
    // The k-means example sums each invoice first: one reason, at the subquery, in the SQL file.
    assertEquals(List.of("segment-definitions/sql/online_retail_rfm.sql:11:3"), shipped("online_retail_rfm_kmeans",
        "retail_transactions").reasons().stream().map(r -> r.displayPath() + ":" + r.at().line() + ":" + r.at().column())
        .toList());
    assertEquals(List.of("segment-definitions/cdnow_rfm_kmeans.yaml:26:7: MEDIAN needs every value at once, so it "
        + "cannot be kept up to date as events arrive; COUNT, SUM, MIN, MAX, AVG and COUNT(DISTINCT ...) can"),
        shipped("cdnow_rfm_kmeans", "cdnow_purchases").reasons().stream().map(StreamingFeatures.Reason::render).toList());
  }

  private static StreamingFeatures.Analysis shipped(String name, String source) {
    String file = "segment-definitions/" + name + ".yaml";
    return StreamingFeatures.analyse(CompiledDefinition.of(DefinitionLoader.load(Path.of(file), file).definition()
        .orElseThrow()), source);
  }

  @Test
  void theEventsMustBeReadByTheQueryAndNamedAmongTheSources() {
    StreamingFeatures.Analysis a = analyse("""
        SELECT customer_id, COUNT(*) AS orders, SUM(amount) AS spend FROM orders GROUP BY customer_id""", "customers");
    assertEquals(List.of("the events of customers are not read here: the GROUP BY on customer_id must read them "
        + "directly, not through a subquery"), a.reasons().stream().map(StreamingFeatures.Reason::message).toList());
    assertThrows(IllegalArgumentException.class, () -> analyse("""
        SELECT customer_id, COUNT(*) AS orders, SUM(amount) AS spend FROM orders GROUP BY customer_id""", "clicks"));
  }
}
