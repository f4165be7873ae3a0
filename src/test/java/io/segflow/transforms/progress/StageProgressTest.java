package io.segflow.transforms.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A stage is reported once, with its rows, whether they are counted here or where they were made. */
@ExtendWith(TestPipelineExtension.class)
class StageProgressTest {
  @Test
  void aStagesRowsAreItsElementsOrTheSumOfItsCounts(TestPipeline p) {
    Map<String, Long> done = new ConcurrentHashMap<>();
    try (StageProgress.Registration r = StageProgress.listen("run-1", done::put)) {
      PAssert.that(p.apply("Rows", Create.of(List.of("a", "b", "c")))
          .apply("Mark", StageProgress.mark("run-1", "rows", 0))).containsInAnyOrder(3L);
      PAssert.that(p.apply("Counts", Create.of(List.of(3L, 4L, 0L)).withCoder(VarLongCoder.of()))
          .apply("MarkCounted", StageProgress.markCounted("run-1", "counted", 0))).containsInAnyOrder(7L);
      PAssert.that(p.apply("NoCounts", Create.empty(VarLongCoder.of()))
          .apply("MarkNone", StageProgress.markCounted("run-1", "none", 0))).containsInAnyOrder(0L);
      p.run().waitUntilFinish();
    }
    assertEquals(Map.of("rows", 3L, "counted", 7L, "none", 0L), done);
  }
}
