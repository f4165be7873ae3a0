package io.segflow.transforms.density;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.segflow.transforms.points.FeatureSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * For a seed, the same DBSCAN model (eps from the knee, core points, sizes, centres) and the same assignments,
 * to the bit, on the DirectRunner with different bundlings and on the FlinkRunner (embedded, parallelism 2),
 * with more points than the sample holds.
 */
@Tag("flink")
class DbscanDeterminismTest {
  private static final Schema SCHEMA = Schema.builder().addStringField("id")
      .addNullableField("x", Schema.FieldType.DOUBLE).addNullableField("y", Schema.FieldType.DOUBLE).build();

  @Test
  void sameModelAndAssignmentsOnDirectAndFlink(@TempDir Path dir) throws IOException {
    double[][] points = DbscanTest.discsRingAndNoise(3000, 300, 17);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < points.length; i++) {
      rows.add(Row.withSchema(SCHEMA).addValues("p" + i, points[i][0], points[i][1]).build());
    }
    List<String> direct = run(direct(), rows, dir.resolve("direct"), 4096);
    assertEquals(points.length + 1, direct.size(), "every point assigned, plus the model");
    assertEquals(direct, run(direct(), rows, dir.resolve("direct-small"), 97), "bundling changed the result");
    assertEquals(direct, run(flink(), rows, dir.resolve("flink"), 4096), "FlinkRunner and DirectRunner disagree");
    DensityModel model = DensityModel.fromJson(direct.get(direct.size() - 1).substring("~model ".length()));
    assertEquals(2000, model.sampleSize());
    assertTrue(model.clusters() >= 3 && model.epsKnee() != null, model.toString());
  }

  private static PipelineOptions direct() {
    PipelineOptions options = PipelineOptionsFactory.create();
    options.setRunner(DirectRunner.class);
    return options;
  }

  private static PipelineOptions flink() {
    FlinkPipelineOptions options = PipelineOptionsFactory.as(FlinkPipelineOptions.class);
    options.setRunner(FlinkRunner.class);
    options.setFlinkMaster("[local]");
    options.setParallelism(2);
    return options;
  }

  private static List<String> run(PipelineOptions options, List<Row> rows, Path out, int blockSize) throws IOException {
    Pipeline p = Pipeline.create(options);
    PCollection<Row> input = p.apply(Create.of(rows).withRowSchema(SCHEMA));
    DbscanResult result = input.apply(Dbscan.fit().withEntityField("id")
        .withFeatures(FeatureSpec.of("x"), FeatureSpec.of("y")).withAutoEps().withMinPoints(6)
        .withSampleSize(2000).withSeed(3).withBlockSize(blockSize));
    result.assignments()
        .apply(MapElements.into(TypeDescriptors.strings()).via(r -> r.getString("id") + "," + r.getInt32("segment_id")
            + "," + Double.toHexString(r.getDouble("distance"))))
        .apply(TextIO.write().to(out.resolve("assignments").toString()));
    result.model()
        .apply(MapElements.into(TypeDescriptors.strings()).via(m -> "~model " + m.toJson().replace("\n", " ")))
        .apply(TextIO.write().to(out.resolve("model").toString()).withoutSharding());
    assertEquals(PipelineResult.State.DONE, p.run().waitUntilFinish());
    List<String> lines = new ArrayList<>();
    try (Stream<Path> files = Files.list(out)) {
      for (Path f : files.toList()) {
        lines.addAll(Files.readAllLines(f));
      }
    }
    lines.sort(null);
    return lines;
  }
}
