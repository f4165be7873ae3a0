package io.segflow.transforms.batching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.FlatMapElements;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestPipelineExtension.class)
class RegroupTest {
  private static final Schema S = Schema.builder().addStringField("k").addNullableField("v", Schema.FieldType.DOUBLE).build();

  @Test
  void everyRowComesOutOnceUnchangedInFewerBundles(TestPipeline p) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      rows.add(Row.withSchema(S).addValues("c" + i, i % 7 == 0 ? null : i * 0.5).build());
    }
    // One bundle per row, as after a GROUP BY on the DirectRunner.
    PCollection<Row> perRow = p.apply(Create.of(rows).withRowSchema(S))
        .apply(WithKeys.of((Row r) -> r.getString("k")).withKeyType(TypeDescriptors.strings()))
        .apply(GroupByKey.create())
        .apply(FlatMapElements.into(TypeDescriptors.rows()).via(kv -> kv.getValue()))
        .setRowSchema(S);
    PCollection<Row> out = perRow.apply(Regroup.intoShards(4));
    PAssert.that(out).containsInAnyOrder(rows);
    PAssert.that(perRow.apply("Before", ParDo.of(new BundleSizeFn()))).satisfies(sizes -> {
      assertEquals(true, count(sizes) > 100, "the input has many small bundles, got " + count(sizes));
      return null;
    });
    PAssert.that(out.apply("After", ParDo.of(new BundleSizeFn()))).satisfies(sizes -> {
      assertEquals(true, count(sizes) <= 4, "at most one bundle per shard on the DirectRunner, got " + count(sizes));
      return null;
    });
    assertEquals(S, out.getSchema());
    p.run().waitUntilFinish();
  }

  private static int count(Iterable<Integer> bundles) {
    int n = 0;
    for (Integer ignored : bundles) {
      n++;
    }
    return n;
  }

  @Test
  void rowsOfManyBatchesEachComeOutOnce(TestPipeline p) {
    List<Row> rows = new ArrayList<>();
    String padding = "x".repeat(1000);
    for (int i = 0; i < 3 * Regroup.BATCH_BYTES / 1000; i++) { // about three batches of encoded rows
      rows.add(Row.withSchema(S).addValues(i + padding, i % 5 == 0 ? null : (double) i).build());
    }
    PAssert.that(p.apply(Create.of(rows).withRowSchema(S)).apply(Regroup.intoShards(2))).containsInAnyOrder(rows);
    p.run().waitUntilFinish();
  }

  @Test
  void onlyTheGlobalWindowIsBatched(TestPipeline p) {
    PCollection<Row> windowed = p.apply(Create.empty(S).withRowSchema(S))
        .apply(org.apache.beam.sdk.transforms.windowing.Window.into(
            org.apache.beam.sdk.transforms.windowing.FixedWindows.of(org.joda.time.Duration.standardMinutes(1))));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> windowed.apply(Regroup.intoShards(2)));
    assertEquals(true, e.getMessage().startsWith("Invalid Regroup: it batches rows of the global window"), e.getMessage());
    p.enableAbandonedNodeEnforcement(false);
  }

  @Test
  void shardsAreChecked() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Regroup.intoShards(0));
    assertEquals("Invalid Regroup: shards must be between 1 and 65536, got 0", e.getMessage());
  }

  /** Emits each bundle's size at its end. */
  static final class BundleSizeFn extends DoFn<Row, Integer> {
    private transient int size;

    @StartBundle
    public void start() {
      size = 0;
    }

    @ProcessElement
    public void process(@Element Row r) {
      size++;
    }

    @FinishBundle
    public void finish(FinishBundleContext c) {
      c.output(size, org.apache.beam.sdk.transforms.windowing.GlobalWindow.INSTANCE.maxTimestamp(),
          org.apache.beam.sdk.transforms.windowing.GlobalWindow.INSTANCE);
    }
  }
}
