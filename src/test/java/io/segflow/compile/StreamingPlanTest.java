package io.segflow.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.segflow.dsl.load.DefinitionLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A streaming features query cut at its GROUP BY into the query per event and the query per update. */
class StreamingPlanTest {
  static final String EVENTS = "retail_transactions";

  static CompiledDefinition compiled(String file) {
    var loaded = DefinitionLoader.load(Path.of("segment-definitions", file), file);
    return CompiledDefinition.of(loaded.definition().orElseThrow());
  }

  @Test
  void theFeaturesAreCutAtTheirGroupByIntoAQueryPerEventAndOnePerUpdate() {
    StreamingPlan plan = StreamingPlan.of(compiled("online_retail_rfm_rules.yaml"), EVENTS, Optional.of("InvoiceNo"));
    assertEquals("""
        SELECT CAST(`CustomerID` AS BIGINT) AS `__entity`, `retail_transactions`.`__event_time` AS `__event_time`, \
        CAST(`retail_transactions`.`InvoiceNo` AS VARCHAR) AS `__event_id`, `InvoiceDate` AS `a0`, `InvoiceNo` AS `a1`, \
        `Quantity` * `UnitPrice` AS `a2`
        FROM `retail_transactions`
        WHERE `CustomerID` IS NOT NULL AND `Quantity` > 0 AND `UnitPrice` > 0 AND `InvoiceDate` < DATE '2011-12-10'""",
        plan.eventsSql());
    assertEquals(List.of(new StreamingPlan.Aggregate("MAX", Optional.of("a0"), "g0"),
        new StreamingPlan.Aggregate("COUNT_DISTINCT", Optional.of("a1"), "g1"),
        new StreamingPlan.Aggregate("SUM", Optional.of("a2"), "g2")), plan.aggregates());
    assertEquals("""
        SELECT `__entity` AS `customer_id`, TIMESTAMPDIFF(DAY, CAST(`g0` AS DATE), CAST(`__now` AS DATE)) \
        AS `recency_days`, `g1` AS `frequency`, `g2` AS `monetary`
        FROM PCOLLECTION""", plan.featuresSql());
    // as_of in the filter bounds which events count; in the features it is the time of each update.
    assertEquals(List.of("as_of"), plan.timeParameters());
  }

  /**
   * DATE_DIFF of a TIMESTAMP parameter casts it to a DATE: the update's time is cast the same way. The
   * stream once replaced the whole cast with a TIMESTAMP, which failed at the first update.
   */
  @Test
  void aTimestampParameterInADateDiffIsTheUpdatesTimeCastToADate() {
    String yaml = """
        apiVersion: segflow/v1
        name: streaming
        description: Orders as events.
        entity: customer_id
        parameters:
          as_of: {type: TIMESTAMP, default: 2011-12-10}
        sources:
          orders:
            columns: {customer_id: STRING, ordered_at: TIMESTAMP}
        segmentation:
          method: rules
          rules:
            - {segment: lapsed, when: days > 90}
          default: active
        features:
          sql: |
            SELECT customer_id, DATE_DIFF(@as_of, MAX(ordered_at), DAY) AS days,
              TIMESTAMP_DIFF(@as_of, MAX(ordered_at), HOUR) AS hours
            FROM orders
            GROUP BY customer_id
        """;
    var loaded = DefinitionLoader.loadBytes(Path.of("streaming.yaml"), "streaming.yaml",
        yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    StreamingPlan plan = StreamingPlan.of(CompiledDefinition.of(loaded.definition().orElseThrow()), "orders");
    assertEquals("""
        SELECT `__entity` AS `customer_id`, TIMESTAMPDIFF(DAY, CAST(`g0` AS DATE), CAST(CAST(`__now` AS TIMESTAMP) AS DATE)) \
        AS `days`, TIMESTAMPDIFF(HOUR, CAST(`g0` AS TIMESTAMP), CAST(`__now` AS TIMESTAMP)) AS `hours`
        FROM PCOLLECTION""", plan.featuresSql());
  }

  @Test
  void featuresThatDoNotStreamOrAnIdColumnTheEventsLackAreRefusedSayingWhy() {
    CompiledDefinition kmeans = compiled("online_retail_rfm_kmeans.yaml");
    IllegalArgumentException notStreaming = assertThrows(IllegalArgumentException.class,
        () -> StreamingPlan.of(kmeans, EVENTS));
    assertTrue(notStreaming.getMessage().contains("online_retail_rfm.sql:11:3: a subquery in FROM"),
        notStreaming.getMessage());
    IllegalArgumentException noId = assertThrows(IllegalArgumentException.class,
        () -> StreamingPlan.of(compiled("online_retail_rfm_rules.yaml"), EVENTS, Optional.of("nope")));
    assertTrue(noId.getMessage().startsWith("the id column nope is not a column of retail_transactions (it has "
        + "InvoiceNo, Quantity, InvoiceDate, UnitPrice, CustomerID)"), noId.getMessage());
  }

  @Test
  void countStarAnAverageAnAggregateUsedTwiceAndHavingReadTheKeptValues() {
    String yaml = """
        apiVersion: segflow/v1
        name: streaming
        description: Orders as events.
        entity: customer_id
        sources:
          orders:
            columns: {customer_id: STRING, order_id: STRING, amount: FLOAT64}
        segmentation:
          method: rules
          rules:
            - {segment: big, when: spend > 100}
          default: small
        features:
          sql: |
            SELECT customer_id, COUNT(*) AS orders, SUM(amount) AS spend, SUM(amount) / COUNT(*) AS per_order,
              AVG(amount) AS average
            FROM orders
            GROUP BY customer_id
            HAVING COUNT(*) > 1
        """;
    var loaded = DefinitionLoader.loadBytes(Path.of("streaming.yaml"), "streaming.yaml",
        yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertEquals(List.of(), loaded.diagnostics());
    StreamingPlan plan = StreamingPlan.of(CompiledDefinition.of(loaded.definition().orElseThrow()), "orders");
    assertEquals("SELECT `customer_id` AS `__entity`, `orders`.`__event_time` AS `__event_time`, `amount` AS `a0`, "
        + "`amount` AS `a1`\nFROM `orders`",
        plan.eventsSql());
    assertEquals(List.of(new StreamingPlan.Aggregate("COUNT", Optional.empty(), "g0"),
        new StreamingPlan.Aggregate("SUM", Optional.of("a0"), "g1"),
        new StreamingPlan.Aggregate("AVG", Optional.of("a1"), "g2")), plan.aggregates());
    assertEquals("SELECT `__entity` AS `customer_id`, `g0` AS `orders`, `g1` AS `spend`, `g1` / `g0` AS `per_order`, "
        + "`g2` AS `average`\nFROM PCOLLECTION\nWHERE `g0` > 1", plan.featuresSql());
  }
}
