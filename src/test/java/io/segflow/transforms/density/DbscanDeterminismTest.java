package io.segflow.transforms.density;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.segflow.transforms.points.DeterminismRuns;
import io.segflow.transforms.points.FeatureSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.Row;
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
    List<String> direct = run(DeterminismRuns.direct(), rows, dir.resolve("direct"), 4096);
    assertEquals(points.length + 1, direct.size(), "every point assigned, plus the model");
    assertEquals(direct, run(DeterminismRuns.direct(), rows, dir.resolve("direct-small"), 97), "bundling changed the result");
    assertEquals(direct, run(DeterminismRuns.flink(), rows, dir.resolve("flink"), 4096), "FlinkRunner and DirectRunner disagree");
    DensityModel model = DensityModel.fromJson(DeterminismRuns.modelJson(direct));
    assertEquals(2000, model.sampleSize());
    assertTrue(model.clusters() >= 3 && model.epsKnee() != null, model.toString());
  }

  private static List<String> run(PipelineOptions options, List<Row> rows, Path out, int blockSize) throws IOException {
    return DeterminismRuns.run(options, out, p -> p.apply(Create.of(rows).withRowSchema(SCHEMA))
        .apply(Dbscan.fit().withEntityField("id").withFeatures(FeatureSpec.of("x"), FeatureSpec.of("y")).withAutoEps()
            .withMinPoints(6).withSampleSize(2000).withSeed(3).withBlockSize(blockSize)),
        r -> r.getString("id") + "," + r.getInt32("segment_id") + "," + Double.toHexString(r.getDouble("distance")));
  }
}
