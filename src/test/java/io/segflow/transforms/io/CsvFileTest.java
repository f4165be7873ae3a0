package io.segflow.transforms.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.segflow.transforms.batching.Regroup;
import io.segflow.testing.TestRunners;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** One CSV file from rows written in parallel bundles, on the DirectRunner and embedded Flink. */
@Tag("flink")
class CsvFileTest {
  private static final Schema SCHEMA = Schema.builder().addInt64Field("customer_id")
      .addNullableField("label", Schema.FieldType.STRING).addDoubleField("spend").build();

  @ParameterizedTest(name = "{0} runner")
  @ValueSource(strings = {"direct", "flink"})
  void everyRowIsALineOfOneFileBehindTheHeaderAndNoPartIsLeft(String runner, @TempDir Path dir) throws IOException {
    List<Row> rows = new ArrayList<>();
    List<String> expected = new ArrayList<>();
    for (long i = 0; i < 20_000; i++) {
      String label = i % 3 == 0 ? null : i % 3 == 1 ? "say \"hi\", " + i : "plain" + i;
      rows.add(Row.withSchema(SCHEMA).attachValues(i, label, i / 4.0));
      expected.add(i + "," + (label == null ? "" : i % 3 == 1 ? "\"say \"\"hi\"\", " + i + "\"" : label) + "," + i / 4.0);
    }
    Path file = dir.resolve("members.csv");
    Files.writeString(file, "an older run's file\n"); // replaced, not appended to
    Pipeline p = Pipeline.create(TestRunners.named(runner));
    PCollection<String> written = p.apply(Create.of(rows).withRowSchema(SCHEMA))
        .apply(Regroup.intoShards(8)) // rows spread over several bundles, so over several parts
        .apply(CsvFile.write(file.toString()));
    PAssert.that(written).containsInAnyOrder(file.toString());
    assertEquals(PipelineResult.State.DONE, p.run().waitUntilFinish());

    List<String> lines = Files.readAllLines(file);
    assertEquals("customer_id,label,spend", lines.get(0));
    List<String> body = new ArrayList<>(lines.subList(1, lines.size()));
    body.sort(null);
    expected.sort(null);
    assertEquals(expected, body);
    try (Stream<Path> left = Files.list(dir)) {
      assertEquals(List.of(file), left.toList());
    }
  }

  @ParameterizedTest(name = "{0} runner")
  @ValueSource(strings = {"direct", "flink"})
  void noRowsMakeAFileWithTheHeaderOnly(String runner, @TempDir Path dir) throws IOException {
    Path file = dir.resolve("rejects.csv");
    Pipeline p = Pipeline.create(TestRunners.named(runner));
    p.apply(Create.empty(SCHEMA)).apply(CsvFile.write(file.toString()));
    assertEquals(PipelineResult.State.DONE, p.run().waitUntilFinish());
    assertEquals(List.of("customer_id,label,spend"), Files.readAllLines(file));
    try (Stream<Path> left = Files.list(dir)) {
      assertEquals(List.of(file), left.toList());
    }
  }

}
