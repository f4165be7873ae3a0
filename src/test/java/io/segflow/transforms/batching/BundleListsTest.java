package io.segflow.transforms.batching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.segflow.testing.TestRunners;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every element in exactly one list of at most the size asked for, on the DirectRunner and embedded Flink. */
@Tag("flink")
class BundleListsTest {
  private static final List<Long> VALUES = LongStream.range(0, 25_000).boxed().toList();

  @ParameterizedTest(name = "{0} runner")
  @ValueSource(strings = {"direct", "flink"})
  void listsHoldEveryElementOnceAndNoMoreThanTheirSize(String runner) {
    Pipeline p = Pipeline.create(TestRunners.named(runner));
    PCollection<List<Long>> lists = p.apply(Create.of(VALUES).withCoder(VarLongCoder.of()))
        .apply(BundleLists.ofAtMost(1000));
    assertEquals(ListCoder.of(VarLongCoder.of()), lists.getCoder());
    PAssert.that(lists).satisfies(all -> {
      List<Long> seen = new ArrayList<>();
      for (List<Long> list : all) {
        assertTrue(!list.isEmpty() && list.size() <= 1000, "a list of " + list.size());
        seen.addAll(list);
      }
      seen.sort(null);
      assertEquals(VALUES, seen);
      return null;
    });
    assertEquals(PipelineResult.State.DONE, p.run().waitUntilFinish());
  }

  @ParameterizedTest(name = "{0} runner")
  @ValueSource(strings = {"direct", "flink"})
  void anEmptyInputGivesNoLists(String runner) {
    Pipeline p = Pipeline.create(TestRunners.named(runner));
    PAssert.that(p.apply(Create.empty(VarLongCoder.of())).apply(BundleLists.ofAtMost(10))).empty();
    assertEquals(PipelineResult.State.DONE, p.run().waitUntilFinish());
  }

  @Test
  void listsOfOneHoldOneElementEach() {
    Pipeline p = Pipeline.create(TestRunners.direct());
    PAssert.that(p.apply(Create.of(1L, 2L, 3L).withCoder(VarLongCoder.of())).apply(BundleLists.ofAtMost(1)))
        .containsInAnyOrder(List.of(1L), List.of(2L), List.of(3L));
    assertEquals(PipelineResult.State.DONE, p.run().waitUntilFinish());
  }

  @ParameterizedTest(name = "{0} runner")
  @ValueSource(strings = {"direct", "flink"})
  void aStepWithALateSideInputGetsListsOnTheDirectRunnerOnly(String runner) {
    Schema schema = Schema.builder().addInt64Field("id").build();
    List<Row> rows = VALUES.stream().map(v -> Row.withSchema(schema).attachValues(v)).toList();
    Pipeline p = Pipeline.create(TestRunners.named(runner));
    PCollection<Row> input = p.apply(Create.of(rows).withRowSchema(schema));
    PCollection<?> forStep = BundleLists.forLateSideInput("Lists", input);
    if (runner.equals("direct")) {
      assertEquals(ListCoder.of(input.getCoder()), forStep.getCoder());
    } else {
      assertSame(input, forStep);
    }
    PCollection<Long> ids = forStep.apply(ParDo.of(new IdsFn())).setCoder(VarLongCoder.of());
    PAssert.that(ids).containsInAnyOrder(VALUES);
    assertEquals(PipelineResult.State.DONE, p.run().waitUntilFinish());
  }

  /** Reads each element as a step with a late side input does. */
  private static final class IdsFn extends DoFn<Object, Long> {
    @ProcessElement
    public void process(@Element Object element, OutputReceiver<Long> out) {
      BundleLists.rowsOf(element).forEach(row -> out.output(row.getInt64("id")));
    }
  }

  @Test
  void refusesASizeOutOfRange() {
    assertThrows(IllegalArgumentException.class, () -> BundleLists.ofAtMost(0));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> BundleLists.ofAtMost((1 << 20) + 1));
    assertTrue(e.getMessage().contains("maxSize must be between 1 and 1048576"), e.getMessage());
  }

  @Test
  void refusesAnInputOutsideTheGlobalWindow() {
    Pipeline p = Pipeline.create(TestRunners.direct());
    PCollection<Long> windowed = p.apply(Create.of(VALUES).withCoder(VarLongCoder.of()))
        .apply(Window.into(FixedWindows.of(Duration.standardMinutes(1))));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> windowed.apply(BundleLists.ofAtMost(10)));
    assertTrue(e.getMessage().contains("global window"), e.getMessage());
  }
}
