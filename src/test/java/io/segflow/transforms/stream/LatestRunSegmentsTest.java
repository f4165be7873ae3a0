package io.segflow.transforms.stream;

import java.util.Map;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.Row;
import org.joda.time.DateTime;
import org.joda.time.DateTimeZone;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The published segments a live stream starts from: each entity's label in the latest run, and nothing of older runs. */
@ExtendWith(TestPipelineExtension.class)
class LatestRunSegmentsTest {
  private static final Schema MEMBERS = Schema.builder().addNullableField("customer_id", Schema.FieldType.INT64)
      .addNullableField("segment_label", Schema.FieldType.STRING)
      .addNullableField("run_time", Schema.FieldType.DATETIME).build();
  private static final DateTime MONDAY = new DateTime(2026, 11, 30, 5, 0, DateTimeZone.UTC);
  private static final DateTime NEXT_MONDAY = MONDAY.plusWeeks(1);

  @Test
  void eachEntityHasItsLabelInTheLatestRunOnly(TestPipeline p) {
    PCollection<Row> members = p.apply(Create.of(
        member(17284L, "loyal", MONDAY), member(12347L, "new_customers", MONDAY), member(13047L, "lapsed", MONDAY),
        member(17284L, "big_spenders", NEXT_MONDAY), member(12347L, "loyal", NEXT_MONDAY))
        .withRowSchema(MEMBERS));
    PCollectionView<Map<String, String>> segments = members.apply(LatestRunSegments.of("customer_id",
        "segment_label", "run_time"));

    PAssert.that(lookUp(p, segments, "17284", "12347", "13047")).containsInAnyOrder(KV.of("17284", "big_spenders"),
        KV.of("12347", "loyal"), KV.of("13047", "(none)"));
    p.run().waitUntilFinish();
  }

  @Test
  void noRunsMakeAnEmptyMap(TestPipeline p) {
    PCollection<Row> members = p.apply(Create.empty(org.apache.beam.sdk.schemas.SchemaCoder.of(MEMBERS)));
    PCollectionView<Map<String, String>> segments = members.apply(LatestRunSegments.of("customer_id",
        "segment_label", "run_time"));
    PAssert.that(lookUp(p, segments, "17284")).containsInAnyOrder(KV.of("17284", "(none)"));
    p.run().waitUntilFinish();
  }

  private static Row member(long customer, String label, DateTime runTime) {
    return Row.withSchema(MEMBERS).addValues(customer, label, runTime.toInstant()).build();
  }

  /** Each key with its label in the view, or "(none)". */
  private static PCollection<KV<String, String>> lookUp(TestPipeline p, PCollectionView<Map<String, String>> view,
      String... keys) {
    return p.apply("Keys", Create.of(java.util.List.of(keys)).withCoder(StringUtf8Coder.of()))
        .apply("LookUp", ParDo.of(new DoFn<String, KV<String, String>>() {
          @ProcessElement
          public void process(@Element String key, ProcessContext c, OutputReceiver<KV<String, String>> out) {
            out.output(KV.of(key, c.sideInput(view).getOrDefault(key, "(none)")));
          }
        }).withSideInputs(view));
  }
}
