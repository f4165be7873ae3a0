package io.segflow.transforms.values;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TupleTag;
import org.junit.jupiter.api.Test;

class MultiOutputTest {
  private static final class Two extends MultiOutput {
    Two(Pipeline p, PCollection<String> a, PCollection<String> b, String bName) {
      super(p);
      part("a", a);
      part(bName, b);
    }
  }

  @Test
  void itsPartsAreExpandedUnderTheirNamesInOrder() {
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    PCollection<String> a = p.apply("A", Create.of("x"));
    PCollection<String> b = p.apply("B", Create.of("y"));
    Two two = new Two(p, a, b, "b");
    assertEquals(List.of(new TupleTag<>("a"), new TupleTag<>("b")), List.copyOf(two.expand().keySet()));
    assertEquals(List.of(a, b), List.copyOf(two.expand().values()));
    assertEquals(p, two.getPipeline());
  }

  @Test
  void twoPartsCannotShareAName() {
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    PCollection<String> a = p.apply("A", Create.of("x"));
    assertThrows(IllegalArgumentException.class, () -> new Two(p, a, a, "a"));
  }
}
