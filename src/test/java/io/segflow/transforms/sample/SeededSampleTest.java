package io.segflow.transforms.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.segflow.transforms.points.Hashing;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
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
class SeededSampleTest {
  private static final Schema SCHEMA = Schema.builder().addStringField("customer_id").addDoubleField("spend").build();

  /** The sample is the rows of the smallest seeded hashes, whatever order the rows arrive in. */
  @Test
  void keepsTheSmallestHashesInAnyOrder(TestPipeline p) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      rows.add(Row.withSchema(SCHEMA).addValues("c" + i, (double) i).build());
    }
    List<Row> expected = rows.stream()
        .sorted(Comparator.comparingLong(r -> Hashing.hash(42, r.getString("customer_id")))).limit(250).toList();
    List<Row> shuffled = new ArrayList<>(rows);
    Collections.shuffle(shuffled, new Random(5));

    PCollection<Row> inOrder = p.apply("InOrder", Create.of(rows).withRowSchema(SCHEMA))
        .apply("SampleInOrder", SeededSample.of(250).withSeed(42));
    PCollection<Row> outOfOrder = p.apply("Shuffled", Create.of(shuffled).withRowSchema(SCHEMA))
        .apply("SampleShuffled", SeededSample.of(250).keyedBy("customer_id").withSeed(42));

    PAssert.that(inOrder).containsInAnyOrder(expected);
    PAssert.that(outOfOrder).containsInAnyOrder(expected);
    p.run().waitUntilFinish();
  }

  @Test
  void fewerRowsThanTheCapacityAreAllKeptAndNoneIsEmpty(TestPipeline p) {
    List<Row> rows = List.of(Row.withSchema(SCHEMA).addValues("a", 1.0).build(),
        Row.withSchema(SCHEMA).addValues("b", 2.0).build());
    PAssert.that(p.apply("Two", Create.of(rows).withRowSchema(SCHEMA)).apply("Sample", SeededSample.of(10)))
        .containsInAnyOrder(rows);
    PAssert.that(p.apply("None", Create.empty(SCHEMA)).apply("SampleNone", SeededSample.of(10))).empty();
    p.run().waitUntilFinish();
  }

  @Test
  void aSampleHoldsAtLeastOneRow() {
    assertEquals("a sample holds at least one row, got capacity 0",
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> SeededSample.of(0))
            .getMessage());
  }
}
