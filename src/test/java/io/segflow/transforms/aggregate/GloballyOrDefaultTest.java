package io.segflow.transforms.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.segflow.testing.TestRunners;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.runners.TransformHierarchy;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Max;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Combine.globally's one result, its default on an empty input, on the DirectRunner and embedded Flink. */
@Tag("flink")
class GloballyOrDefaultTest {
  private static final List<Long> VALUES = LongStream.rangeClosed(1, 10_000).boxed().toList();

  @ParameterizedTest(name = "{0} runner")
  @ValueSource(strings = {"direct", "flink"})
  void aNonEmptyInputGivesTheCombinedResultOnly(String runner) {
    Pipeline p = Pipeline.create(TestRunners.named(runner));
    PCollection<Long> values = p.apply(Create.of(VALUES).withCoder(VarLongCoder.of()));
    PAssert.that(values.apply("Sum", GloballyOrDefault.of(Sum.ofLongs()))).containsInAnyOrder(50_005_000L);
    PAssert.that(values.apply("Count", GloballyOrDefault.of(Count.combineFn()))).containsInAnyOrder(10_000L);
    // A result equal to the default is still given once.
    PAssert.that(values.apply("Zero", ParDo.of(new ZeroFn())).apply("SumOfZeros", GloballyOrDefault.of(Sum.ofLongs())))
        .containsInAnyOrder(0L);
    assertEquals(PipelineResult.State.DONE, p.run().waitUntilFinish());
  }

  @ParameterizedTest(name = "{0} runner")
  @ValueSource(strings = {"direct", "flink"})
  void anEmptyInputGivesTheCombineFnsDefault(String runner) {
    Pipeline p = Pipeline.create(TestRunners.named(runner));
    PCollection<Long> none = p.apply(Create.empty(VarLongCoder.of()));
    PAssert.that(none.apply("Sum", GloballyOrDefault.of(Sum.ofLongs()))).containsInAnyOrder(0L);
    PAssert.that(none.apply("Count", GloballyOrDefault.of(Count.combineFn()))).containsInAnyOrder(0L);
    PAssert.that(none.apply("Max", GloballyOrDefault.of(Max.ofLongs()))).containsInAnyOrder(Long.MIN_VALUE);
    assertEquals(PipelineResult.State.DONE, p.run().waitUntilFinish());
  }

  @Test
  void noStepReadsASideInput() {
    Pipeline p = Pipeline.create(TestRunners.direct());
    p.apply(Create.of(VALUES).withCoder(VarLongCoder.of())).apply(GloballyOrDefault.of(Sum.ofLongs()));
    List<String> withSideInputs = new ArrayList<>();
    p.traverseTopologically(new Pipeline.PipelineVisitor.Defaults() {
      @Override
      public void visitPrimitiveTransform(TransformHierarchy.Node node) {
        if (!node.getTransform().getAdditionalInputs().isEmpty()) {
          withSideInputs.add(node.getFullName());
        }
      }
    });
    assertTrue(withSideInputs.isEmpty(), "steps with side inputs: " + withSideInputs);
  }

  @Test
  void refusesAnInputOutsideTheGlobalWindow() {
    Pipeline p = Pipeline.create(TestRunners.direct());
    PCollection<Long> windowed = p.apply(Create.of(VALUES).withCoder(VarLongCoder.of()))
        .apply(Window.into(FixedWindows.of(Duration.standardMinutes(1))));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> windowed.apply(GloballyOrDefault.of(Sum.ofLongs())));
    assertTrue(e.getMessage().contains("global window"), e.getMessage());
  }

  static final class ZeroFn extends org.apache.beam.sdk.transforms.DoFn<Long, Long> {
    @ProcessElement
    public void process(@Element Long value, OutputReceiver<Long> out) {
      out.output(0L);
    }
  }
}
