package io.segflow.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.segflow.compile.BeamSchemas;
import io.segflow.compile.CompiledDefinition;
import io.segflow.compile.StreamingPlan;
import io.segflow.dsl.env.Environment;
import io.segflow.dsl.model.SegmentDefinition;
import io.segflow.transforms.io.SourceIO;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TupleTag;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The rules example kept up to date from its transactions as events: a customer's segment changes as
 * their purchases arrive, and after a replay of the whole sample each customer's last change is the
 * segment the batch run gives them.
 */
@ExtendWith(TestPipelineExtension.class)
class StreamingSegmentsTest {
  static final Path LOCAL = Path.of("pipelines/environments/local.yaml");
  static final Path RULES = Path.of("segment-definitions/online_retail_rfm_rules.yaml");
  static final String EVENTS = "retail_transactions";

  static CompiledDefinition rules() {
    Environment env = Fixtures.environment(LOCAL);
    return CompiledDefinition.of(Fixtures.definition(RULES, env));
  }

  /** A small dimension joined to each event: the customer's region, read whole, in the rules. */
  static CompiledDefinition withRegions() {
    String yaml = """
        apiVersion: segflow/v1
        name: regional
        description: Orders as events, customers as a small dimension.
        entity: customer_id
        sources:
          orders:
            columns: {customer_id: STRING, order_id: STRING, amount: FLOAT64, ordered_at: TIMESTAMP}
          customers:
            columns: {customer_id: STRING, region: STRING}
        features:
          sql: |
            SELECT o.customer_id, COUNT(*) AS orders, SUM(o.amount) AS spend, MAX(c.region) AS region
            FROM orders AS o JOIN customers AS c ON o.customer_id = c.customer_id
            WHERE o.amount > 0
            GROUP BY o.customer_id
        segmentation:
          method: rules
          rules:
            - {segment: northern_spenders, when: "region = 'north' AND spend >= 100"}
            - {segment: repeat, when: orders >= 2}
          default: others
        """;
    var loaded = io.segflow.dsl.load.DefinitionLoader.loadBytes(Path.of("regional.yaml"), "regional.yaml",
        yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertEquals(List.of(), loaded.diagnostics());
    return CompiledDefinition.of(loaded.definition().orElseThrow());
  }

  @Test
  void eventsJoinedToASmallDimensionAreSegmentedByItsColumns(TestPipeline p) {
    CompiledDefinition compiled = withRegions();
    Schema orders = BeamSchemas.of(compiled.definition().sources().get("orders").columns());
    Schema customers = BeamSchemas.of(compiled.definition().sources().get("customers").columns());
    List<TimestampedValue<Row>> events = new ArrayList<>();
    String[][] placed = {{"c1", "o1", "60", "2024-01-01"}, {"c1", "o2", "50", "2024-01-02"},
        {"c2", "o3", "500", "2024-01-01"}, {"c2", "o4", "10", "2024-01-03"}, {"c3", "o5", "-5", "2024-01-01"}};
    for (String[] o : placed) {
      Instant at = Instant.parse(o[3] + "T00:00:00Z");
      events.add(TimestampedValue.of(Row.withSchema(orders).addValues(o[0], o[1], Double.parseDouble(o[2]), at).build(),
          at));
    }
    PCollection<Row> orderRows = p.apply("Orders", Create.timestamped(events)
        .withCoder(org.apache.beam.sdk.coders.RowCoder.of(orders))).setRowSchema(orders);
    PCollection<Row> customerRows = p.apply("Customers", Create.of(
            Row.withSchema(customers).addValues("c1", "north").build(),
            Row.withSchema(customers).addValues("c2", "south").build(),
            Row.withSchema(customers).addValues("c3", "north").build())
        .withRowSchema(customers));
    // The events' alias names their time and id: the query per event reads the JOIN as written.
    assertTrue(StreamingPlan.of(compiled, "orders", Optional.of("order_id")).eventsSql().startsWith(
        "SELECT `o`.`customer_id` AS `__entity`, `o`.`__event_time` AS `__event_time`, CAST(`o`.`order_id` AS VARCHAR)"
            + " AS `__event_id`"));
    StreamingSegments.Result out = PCollectionTuple.of(new TupleTag<>("orders"), orderRows)
        .and(new TupleTag<>("customers"), customerRows)
        .apply(StreamingSegments.of(compiled, StreamingPlan.of(compiled, "orders")));
    Schema changes = out.changes().getSchema();
    PAssert.that(out.changes()).containsInAnyOrder(
        regional(changes, "c1", null, "others", "2024-01-01", 1),
        // The second order: 110 spent in the north.
        regional(changes, "c1", "others", "northern_spenders", "2024-01-02", 2),
        // 500 spent, but in the south: a repeat customer at the second order.
        regional(changes, "c2", null, "others", "2024-01-01", 1),
        regional(changes, "c2", "others", "repeat", "2024-01-03", 2));
    PAssert.that(out.rejects()).empty();
    p.run().waitUntilFinish();
  }

  static Row regional(Schema schema, String customer, String from, String to, String day, long sequence) {
    return Row.withSchema(schema).addValues(customer, from, to, Instant.parse(day + "T00:00:00Z"), sequence, null)
        .build();
  }

  /** DBSCAN's model assigns by its core points, which a stream does not keep: refused, saying which method. */
  @Test
  void aMethodWhoseModelAStreamCannotAssignWithIsRefusedSayingWhich() {
    String yaml = """
        apiVersion: segflow/v1
        name: streaming_density
        description: Orders as events.
        entity: customer_id
        sources:
          orders:
            columns: {customer_id: STRING, amount: FLOAT64}
        segmentation:
          method: dbscan
          features: [orders, spend]
          min_points: 5
          eps: auto
        features:
          sql: SELECT customer_id, COUNT(*) AS orders, SUM(amount) AS spend FROM orders GROUP BY customer_id
        """;
    var loaded = io.segflow.dsl.load.DefinitionLoader.loadBytes(Path.of("k.yaml"), "k.yaml",
        yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    CompiledDefinition density = CompiledDefinition.of(loaded.definition().orElseThrow());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> StreamingSegments.of(density, StreamingPlan.of(density, "orders")));
    assertTrue(e.getMessage().contains("segflow streams rules and k-means definitions: streaming_density's method "
        + "(dbscan) fits a model"), e.getMessage());
  }

  static Row purchase(Schema schema, String invoice, double customer, String day, long quantity, double price) {
    return Row.withSchema(schema).addValues(invoice, quantity, Instant.parse(day + "T10:00:00Z"), price, customer)
        .build();
  }

  /**
   * Customer 1 new, then others, then loyal; customer 2 a big spender at once; customer 3 new in March and
   * silent since; in order of time.
   */
  static List<TimestampedValue<Row>> purchases(Schema schema) {
    List<TimestampedValue<Row>> events = new ArrayList<>();
    Row big = purchase(schema, "B0", 2, "2011-01-03", 1000, 9.0);
    events.add(TimestampedValue.of(big, big.getDateTime("InvoiceDate").toInstant()));
    Row once = purchase(schema, "D0", 3, "2011-03-01", 1, 15.0);
    events.add(TimestampedValue.of(once, once.getDateTime("InvoiceDate").toInstant()));
    String[] days = {"2011-11-01", "2011-11-05", "2011-11-09", "2011-11-12", "2011-11-20"};
    for (int i = 0; i < days.length; i++) {
      Row row = purchase(schema, "A" + i, 1, days[i], 2, 10.0);
      events.add(TimestampedValue.of(row, row.getDateTime("InvoiceDate").toInstant()));
      if (i == 2) {
        // A second line of the third order: no new order.
        Row line = purchase(schema, "A2", 1, "2011-11-09", 1, 4.0);
        events.add(TimestampedValue.of(line, line.getDateTime("InvoiceDate").toInstant()));
      }
    }
    // A return (negative quantity): filtered out by the features' WHERE, as in the batch run.
    Row ret = purchase(schema, "C9", 1, "2011-11-21", -2, 10.0);
    events.add(TimestampedValue.of(ret, ret.getDateTime("InvoiceDate").toInstant()));
    return events;
  }

  /** @param atAsOf the changes time alone makes by as_of (2011-12-10), after the last purchase */
  static void assertChanges(StreamingSegments.Result out, List<Row> atAsOf) {
    Schema changes = out.changes().getSchema();
    List<Row> expected = new ArrayList<>(List.of(
        // Recency is counted to each purchase: a first purchase is a new customer's.
        change(changes, 1L, null, "new_customers", "2011-11-01", 1),
        change(changes, 1L, "new_customers", "others", "2011-11-05", 2),
        change(changes, 1L, "others", "loyal", "2011-11-20", 3),
        // 9,000 spent: a big spender from the first purchase on, and still at as_of.
        change(changes, 2L, null, "big_spenders", "2011-01-03", 1),
        change(changes, 3L, null, "new_customers", "2011-03-01", 1)));
    expected.addAll(atAsOf);
    PAssert.that(out.changes()).containsInAnyOrder(expected);
    PAssert.that(out.rejects()).empty();
  }

  @Test
  void aReplayedHistoryChangesEachCustomersSegmentInTheOrderOfTime(TestPipeline p) {
    CompiledDefinition compiled = rules();
    Schema schema = BeamSchemas.of(compiled.definition().sources().get(EVENTS).columns());
    List<TimestampedValue<Row>> events = purchases(schema);
    java.util.Collections.reverse(events); // the order of a file must not matter: each customer's history is sorted
    PCollection<Row> rows = p.apply(Create.timestamped(events).withCoder(org.apache.beam.sdk.coders.RowCoder.of(schema)))
        .setRowSchema(schema);
    StreamingSegments.Result out = PCollectionTuple.of(new TupleTag<>(EVENTS), rows)
        .apply(StreamingSegments.of(compiled, StreamingPlan.of(compiled, EVENTS)));
    // The history ends at as_of: customer 3, silent for 284 days by then, has lapsed.
    assertChanges(out, List.of(Row.withSchema(out.changes().getSchema())
        .addValues(3L, "new_customers", "lapsed", Instant.parse("2011-12-10T00:00:00Z"), 2L, null).build()));
    p.run().waitUntilFinish();
  }

  @Test
  void aStreamOfTheSamePurchasesMakesTheSameChangesAsTheyArrive(TestPipeline p) {
    CompiledDefinition compiled = rules();
    Schema schema = BeamSchemas.of(compiled.definition().sources().get(EVENTS).columns());
    TestStream.Builder<Row> stream = TestStream.create(org.apache.beam.sdk.coders.RowCoder.of(schema));
    for (TimestampedValue<Row> event : purchases(schema)) {
      stream = stream.advanceWatermarkTo(event.getTimestamp()).addElements(event);
    }
    PCollection<Row> rows = p.apply(stream.advanceWatermarkToInfinity()).setRowSchema(schema);
    // As they arrive: no change without an event yet (customer 3 stays new; re-evaluation timers are to come).
    assertChanges(PCollectionTuple.of(new TupleTag<>(EVENTS), rows)
        .apply(StreamingSegments.of(compiled, StreamingPlan.of(compiled, EVENTS))), List.of());
    p.run().waitUntilFinish();
  }

  /**
   * Customer 1's purchases arriving latest first, as Pub/Sub may deliver them: each update is at the latest
   * time, so every change has the same event time, and only their sequence says which segment is current.
   */
  @Test
  void changesAtOneEventTimeAreNumberedInTheOrderTheyWereMade(TestPipeline p) {
    CompiledDefinition compiled = rules();
    Schema schema = BeamSchemas.of(compiled.definition().sources().get(EVENTS).columns());
    List<TimestampedValue<Row>> customer1 = new ArrayList<>(purchases(schema).stream()
        .filter(e -> e.getValue().getDouble("CustomerID") == 1).toList());
    java.util.Collections.reverse(customer1);
    StreamingSegments.Result out = streamed(p, schema, customer1,
        StreamingSegments.of(compiled, StreamingPlan.of(compiled, EVENTS)));
    Schema changes = out.changes().getSchema();
    PAssert.that(out.changes()).containsInAnyOrder(
        change(changes, 1L, null, "new_customers", "2011-11-20", 1),
        change(changes, 1L, "new_customers", "others", "2011-11-20", 2),
        change(changes, 1L, "others", "loyal", "2011-11-20", 3));
    p.run().waitUntilFinish();
  }

  /**
   * Time alone moves a quiet customer: re-evaluated daily after their one purchase, customer 3 stops being
   * new after 60 days and is lapsed after 270, each on the day it happens, and nothing changes after that.
   */
  @Test
  void aQuietCustomerMovesWhenTheTimeComesNotAtTheirNextPurchase(TestPipeline p) {
    CompiledDefinition compiled = rules();
    Schema schema = BeamSchemas.of(compiled.definition().sources().get(EVENTS).columns());
    TimestampedValue<Row> once = purchases(schema).stream().filter(e -> e.getValue().getDouble("CustomerID") == 3)
        .findFirst().orElseThrow();
    StreamingSegments.Result out = streamed(p, schema, List.of(once), StreamingSegments.of(compiled,
        StreamingPlan.of(compiled, EVENTS)).withReevaluation(java.time.Duration.ofDays(1), java.time.Duration.ofDays(365)));
    Schema changes = out.changes().getSchema();
    PAssert.that(out.changes()).containsInAnyOrder(
        change(changes, 3L, null, "new_customers", "2011-03-01", 1),
        change(changes, 3L, "new_customers", "others", "2011-05-01", 2),
        change(changes, 3L, "others", "lapsed", "2011-11-27", 3));
    p.run().waitUntilFinish();
  }

  /**
   * An update delivered after a newer one of its customer (the runner does not keep their order across the
   * features step) is stale: taken, it would move the customer back to active and leave them there.
   */
  @Test
  void anUpdateOlderThanOneAlreadyTakenIsStaleAndMovesNoOne(TestPipeline p) {
    Schema updates = Schema.builder().addInt64Field("customer_id").addStringField("segment_label").build();
    Schema changes = StreamingSegments.changesSchema(updates.getField("customer_id"));
    Instant click = Instant.parse("2026-12-07T03:19:53Z");
    TestStream<KV<String, Row>> arriving = TestStream.create(org.apache.beam.sdk.coders.KvCoder.of(
            org.apache.beam.sdk.coders.StringUtf8Coder.of(), org.apache.beam.sdk.coders.RowCoder.of(updates)))
        .addElements(TimestampedValue.of(KV.of("1", Row.withSchema(updates).addValues(1L, "active").build()),
            click.plus(org.joda.time.Duration.standardSeconds(15))))
        .addElements(TimestampedValue.of(KV.of("1", Row.withSchema(updates).addValues(1L, "quiet").build()),
            click.plus(org.joda.time.Duration.standardSeconds(25))))
        .addElements(TimestampedValue.of(KV.of("1", Row.withSchema(updates).addValues(1L, "active").build()),
            click.plus(org.joda.time.Duration.standardSeconds(20))))
        .advanceWatermarkToInfinity();
    PCollection<Row> out = p.apply(arriving)
        .apply(org.apache.beam.sdk.transforms.ParDo.of(new StreamingSegments.ChangesFn("customer_id", changes, null)))
        .setRowSchema(changes);
    PAssert.that(out).containsInAnyOrder(
        Row.withSchema(changes).addValues(1L, null, "active", click.plus(org.joda.time.Duration.standardSeconds(15)),
            1L, null).build(),
        Row.withSchema(changes).addValues(1L, "active", "quiet", click.plus(org.joda.time.Duration.standardSeconds(25)),
            2L, null).build());
    p.run().waitUntilFinish();
  }

  /** Two quiet customers whose timers fall at the same instants move at the same times, each on their own. */
  @Test
  void quietCustomersWithTheSameTimesMoveTogether(TestPipeline p) {
    CompiledDefinition compiled = rules();
    Schema schema = BeamSchemas.of(compiled.definition().sources().get(EVENTS).columns());
    Row three = purchase(schema, "D0", 3, "2011-03-01", 1, 15.0);
    Row four = purchase(schema, "E0", 4, "2011-03-01", 1, 15.0);
    StreamingSegments.Result out = streamed(p, schema, List.of(
        TimestampedValue.of(three, three.getDateTime("InvoiceDate").toInstant()),
        TimestampedValue.of(four, four.getDateTime("InvoiceDate").toInstant())), StreamingSegments.of(compiled,
        StreamingPlan.of(compiled, EVENTS)).withReevaluation(java.time.Duration.ofDays(1), java.time.Duration.ofDays(365)));
    Schema changes = out.changes().getSchema();
    PAssert.that(out.changes()).containsInAnyOrder(
        change(changes, 3L, null, "new_customers", "2011-03-01", 1),
        change(changes, 3L, "new_customers", "others", "2011-05-01", 2),
        change(changes, 3L, "others", "lapsed", "2011-11-27", 3),
        change(changes, 4L, null, "new_customers", "2011-03-01", 1),
        change(changes, 4L, "new_customers", "others", "2011-05-01", 2),
        change(changes, 4L, "others", "lapsed", "2011-11-27", 3));
    p.run().waitUntilFinish();
  }

  /**
   * A live stream starts from the published segments: customer 1 (published in others) moves from there,
   * customer 2's first update keeps them where the batch run put them (no change), and customer 3, not
   * published, starts from nothing.
   */
  @Test
  void aLiveStreamsFirstChangeOfACustomerStartsFromTheirPublishedSegment(TestPipeline p) {
    CompiledDefinition compiled = rules();
    Schema schema = BeamSchemas.of(compiled.definition().sources().get(EVENTS).columns());
    PCollectionView<Map<String, String>> published = p.apply("Published", Create.of(Map.of("1", "others",
        "2", "big_spenders"))).apply(org.apache.beam.sdk.transforms.View.asMap());
    StreamingSegments.Result out = streamed(p, schema, purchases(schema), StreamingSegments.of(compiled,
        StreamingPlan.of(compiled, EVENTS)).withPublishedSegments(published));
    Schema changes = out.changes().getSchema();
    PAssert.that(out.changes()).containsInAnyOrder(
        change(changes, 1L, "others", "new_customers", "2011-11-01", 1),
        change(changes, 1L, "new_customers", "others", "2011-11-05", 2),
        change(changes, 1L, "others", "loyal", "2011-11-20", 3),
        change(changes, 3L, null, "new_customers", "2011-03-01", 1));
    p.run().waitUntilFinish();
  }

  /** The events delivered as a stream in this order, the watermark then at the end of time, through {@code segments}. */
  private static StreamingSegments.Result streamed(TestPipeline p, Schema schema, List<TimestampedValue<Row>> events,
      StreamingSegments segments) {
    TestStream.Builder<Row> stream = TestStream.create(org.apache.beam.sdk.coders.RowCoder.of(schema));
    for (TimestampedValue<Row> event : events) {
      stream = stream.addElements(event);
    }
    PCollection<Row> rows = p.apply(stream.advanceWatermarkToInfinity()).setRowSchema(schema);
    return PCollectionTuple.of(new TupleTag<>(EVENTS), rows).apply(segments);
  }

  @Test
  void reevaluationIsRefusedWhenTheFeaturesReadNoTime() {
    CompiledDefinition regional = withRegions();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StreamingSegments.of(regional,
        StreamingPlan.of(regional, "orders")).withReevaluation(java.time.Duration.ofDays(1), java.time.Duration.ofDays(30)));
    assertTrue(e.getMessage().contains("the features of regional read no time parameter"), e.getMessage());
  }

  static Row change(Schema schema, long customer, String from, String to, String day, long sequence) {
    return Row.withSchema(schema).addValues(customer, from, to, Instant.parse(day + "T10:00:00Z"), sequence, null)
        .build();
  }

  /** Parity: a replay of a tenth of the sample's customers ends where the batch features and rules put them. */
  @Test
  void aReplayOfTheSampleEndsInTheSegmentsTheBatchRunGives(TestPipeline p) {
    CompiledDefinition compiled = rules();
    Schema schema = BeamSchemas.of(compiled.definition().sources().get(EVENTS).columns());
    PCollection<Row> tenth = p.apply(SourceIO.read(EVENTS, schema)
            .from("segment-definitions/data/online_retail.csv.gz")
            .withTimestampFormat("yyyy-MM-dd HH:mm:ss").withTimeZone("Europe/London")).rows()
        .apply(Filter.by(row -> row.getDouble("CustomerID") != null && row.getDouble("CustomerID") % 10 == 0));
    Map<Long, String> batch = parity(p, compiled, EVENTS, tenth, "InvoiceDate");
    assertTrue(batch.size() > 400, "customers in the tenth: " + batch.size());
  }

  /** Parity on clicks: the Taobao sample's 84,475 events, their time in Unix seconds. */
  @Test
  void aReplayOfTheClickstreamEndsInTheSegmentsTheBatchRunGives(TestPipeline p) {
    Environment env = Fixtures.environment(LOCAL);
    CompiledDefinition compiled = CompiledDefinition.of(Fixtures.definition(
        Path.of("segment-definitions/taobao_shoppers_rules.yaml"), env));
    Schema schema = BeamSchemas.of(compiled.definition().sources().get("taobao_events").columns());
    PCollection<Row> clicks = p.apply(SourceIO.read("taobao_events", schema)
        .from("segment-definitions/data/taobao_user_behavior_head.csv.gz")).rows();
    assertEquals(815, parity(p, compiled, "taobao_events", clicks, "timestamp").size());
  }

  /**
   * Runs the events through the stream, stamped at their time as segflow stream stamps them, and the same
   * rows through the batch features and method; asserts every entity's last change is its batch segment.
   *
   * @return the batch segments, by entity
   */
  private static Map<Long, String> parity(TestPipeline p, CompiledDefinition compiled, String source,
      PCollection<Row> rows, String eventTime) {
    SegmentDefinition def = compiled.definition();
    String run = def.name() + "@" + System.nanoTime();
    PCollection<Row> events = rows.apply("AtEventTime", org.apache.beam.sdk.transforms.ParDo.of(
            new StreamRun.AtEventTimeFn(source, eventTime))
        .withOutputTags(StreamRun.AtEventTimeFn.EVENTS, org.apache.beam.sdk.values.TupleTagList.empty()))
        .get(StreamRun.AtEventTimeFn.EVENTS).setRowSchema(rows.getSchema());
    StreamingSegments.Result streamed = PCollectionTuple.of(new TupleTag<>(source), events)
        .apply("Stream", StreamingSegments.of(compiled, StreamingPlan.of(compiled, source)));
    PCollection<Row> batchFeatures = PCollectionTuple.of(new TupleTag<>(source), rows)
        .apply("BatchFeatures", compiled.features().transform());
    PCollection<Row> batch = io.segflow.pipeline.methods.SegmentationMethods.of(def.segmentation())
        .segment(batchFeatures, new io.segflow.pipeline.methods.MethodContext(def.entity(), compiled.literals(),
            io.segflow.pipeline.refresh.PreviousSegments.NONE,
            io.segflow.pipeline.methods.LabelWords.of(def.features().columnWords())))
        .assignments();
    String entity = def.entity();
    PAssert.that(streamed.changes().apply("Last", lastSegments(entity))).satisfies(last -> {
      Map<Long, String> streamedSegments = new HashMap<>();
      last.forEach(kv -> streamedSegments.put(kv.getKey(), kv.getValue()));
      PARITY.put(run + "/streamed", streamedSegments);
      return null;
    });
    PAssert.that(batch).satisfies(assigned -> {
      Map<Long, String> batchSegments = new HashMap<>();
      assigned.forEach(r -> batchSegments.put(r.getInt64(entity), r.getString("segment_label")));
      PARITY.put(run + "/batch", batchSegments);
      return null;
    });
    p.run().waitUntilFinish();
    Map<Long, String> batchSegments = PARITY.get(run + "/batch");
    assertEquals(batchSegments, PARITY.get(run + "/streamed"));
    return batchSegments;
  }

  private static final Map<String, Map<Long, String>> PARITY = new java.util.concurrent.ConcurrentHashMap<>();

  /** Each customer's segment after their last change: the one with the highest sequence. */
  static org.apache.beam.sdk.transforms.PTransform<PCollection<Row>, PCollection<org.apache.beam.sdk.values.KV<Long, String>>> lastSegments(
      String entity) {
    return new org.apache.beam.sdk.transforms.PTransform<>() {
      @Override
      public PCollection<org.apache.beam.sdk.values.KV<Long, String>> expand(PCollection<Row> changes) {
        return changes
            .apply("ByCustomer", org.apache.beam.sdk.transforms.MapElements.into(org.apache.beam.sdk.values.TypeDescriptors.kvs(
                    org.apache.beam.sdk.values.TypeDescriptors.longs(), org.apache.beam.sdk.values.TypeDescriptors.rows()))
                .via(r -> org.apache.beam.sdk.values.KV.of(r.getInt64(entity), r)))
            .setCoder(org.apache.beam.sdk.coders.KvCoder.of(org.apache.beam.sdk.coders.VarLongCoder.of(),
                org.apache.beam.sdk.coders.RowCoder.of(changes.getSchema())))
            .apply("Latest", org.apache.beam.sdk.transforms.Combine.perKey(rows -> {
              Row latest = null;
              for (Row r : rows) {
                if (latest == null || r.getInt64(StreamingSegments.SEQUENCE) > latest.getInt64(StreamingSegments.SEQUENCE)) {
                  latest = r;
                }
              }
              return latest;
            }))
            .apply("Segment", org.apache.beam.sdk.transforms.MapElements.into(org.apache.beam.sdk.values.TypeDescriptors.kvs(
                    org.apache.beam.sdk.values.TypeDescriptors.longs(), org.apache.beam.sdk.values.TypeDescriptors.strings()))
                .via(kv -> org.apache.beam.sdk.values.KV.of(kv.getKey(), kv.getValue().getString("to_segment"))));
      }
    };
  }
}
