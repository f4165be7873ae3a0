package io.segflow.transforms.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.segflow.testing.TestRunners;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Text written as one file without a header (the run's model.json), on the DirectRunner and embedded Flink. */
@Tag("flink")
class LineFileTest {
  @ParameterizedTest(name = "{0} runner")
  @ValueSource(strings = {"direct", "flink"})
  void oneElementIsTheWholeFileWithItsLineBreak(String runner, @TempDir Path dir) throws IOException {
    String json = "{\n  \"k\" : 5,\n  \"label\" : \"café\"\n}";
    Path file = dir.resolve("model.json");
    Pipeline p = Pipeline.create(TestRunners.named(runner));
    PCollection<String> written = p.apply(Create.of(json).withCoder(StringUtf8Coder.of()))
        .apply(LineFile.<String>write(file.toString(), text -> text));
    PAssert.that(written).containsInAnyOrder(file.toString());
    assertEquals(PipelineResult.State.DONE, p.run().waitUntilFinish());
    assertEquals(json + "\n", Files.readString(file, StandardCharsets.UTF_8));
    try (Stream<Path> left = Files.list(dir)) {
      assertEquals(List.of(file), left.toList());
    }
  }

  @ParameterizedTest(name = "{0} runner")
  @ValueSource(strings = {"direct", "flink"})
  void noElementsAndNoHeaderMakeAnEmptyFile(String runner, @TempDir Path dir) throws IOException {
    Path file = dir.resolve("empty.txt");
    Files.writeString(file, "an older run's file\n"); // replaced
    Pipeline p = Pipeline.create(TestRunners.named(runner));
    p.apply(Create.empty(StringUtf8Coder.of())).apply(LineFile.<String>write(file.toString(), text -> text));
    assertEquals(PipelineResult.State.DONE, p.run().waitUntilFinish());
    assertEquals("", Files.readString(file));
  }

  @Test
  void refusesADirectoryAHeaderOfTwoLinesAndNoFormat() {
    assertThrows(IllegalArgumentException.class, () -> LineFile.<String>write("/tmp/runs/", text -> text));
    assertThrows(IllegalArgumentException.class, () -> LineFile.<String>write("/tmp/x.txt", null));
    assertThrows(IllegalArgumentException.class,
        () -> LineFile.<String>write("/tmp/x.txt", text -> text).withHeader("a\nb"));
  }
}
