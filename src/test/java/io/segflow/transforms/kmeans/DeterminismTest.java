package io.segflow.transforms.kmeans;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.segflow.transforms.points.DeterminismRuns;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.Create;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * For a seed, the same model and the same assignments, to the bit, on the DirectRunner with different
 * bundlings and on the FlinkRunner (embedded, parallelism 2); for a flat fit and for a bisecting tree.
 */
@Tag("flink")
class DeterminismTest {
  private static final Blobs DATA = Blobs.generate(12_000, 3, 4, 1.5, 4, 11);

  @Test
  void sameModelAndAssignmentsOnDirectAndFlink(@TempDir Path dir) throws IOException {
    List<String> direct = run(DeterminismRuns.direct(), dir.resolve("direct"), 4096);
    List<String> directSmallBlocks = run(DeterminismRuns.direct(), dir.resolve("direct-small"), 97);
    List<String> flink = run(DeterminismRuns.flink(), dir.resolve("flink"), 4096);
    assertEquals(12_000 + 1, direct.size(), "every point assigned, plus the model");
    assertEquals(direct, directSmallBlocks, "block size (bundling) changed the result");
    assertEquals(direct, flink, "FlinkRunner and DirectRunner disagree");
    List<String> otherSeed = run(DeterminismRuns.direct(), dir.resolve("other-seed"), 4096, 8);
    // The models' JSON names their seeds, so it always differs: compare what the seed drives instead, the
    // sample the solve and the silhouette are computed on.
    KMeansModel five = KMeansModel.fromJson(DeterminismRuns.modelJson(direct));
    KMeansModel eight = KMeansModel.fromJson(DeterminismRuns.modelJson(otherSeed));
    assertNotEquals(five.silhouette(), eight.silhouette(), "a different seed samples differently (else it is ignored)");
    assertEquals(five.k(), eight.k());
  }

  @Test
  void sameTreeOnDirectAndFlink(@TempDir Path dir) throws IOException {
    List<String> direct = run(DeterminismRuns.direct(), dir.resolve("direct"), 4096, 5, true);
    assertEquals(direct, run(DeterminismRuns.direct(), dir.resolve("direct-small"), 97, 5, true),
        "block size (bundling) changed the tree");
    assertEquals(direct, run(DeterminismRuns.flink(), dir.resolve("flink"), 4096, 5, true), "FlinkRunner and DirectRunner disagree");
    KMeansModel model = KMeansModel.fromJson(DeterminismRuns.modelJson(direct));
    assertEquals(4, model.tree().leaves(), "the tree survives the model's JSON");
  }

  private static List<String> run(PipelineOptions options, Path out, int blockSize) throws IOException {
    return run(options, out, blockSize, 5);
  }

  private static List<String> run(PipelineOptions options, Path out, int blockSize, long seed) throws IOException {
    return run(options, out, blockSize, seed, false);
  }

  private static List<String> run(PipelineOptions options, Path out, int blockSize, long seed, boolean bisecting)
      throws IOException {
    KMeans.Fit fit = KMeans.fit().withEntityField("id").withFeatures(Blobs.features(3))
        .withK(4).withSeed(seed).withBlockSize(blockSize).withSampleSize(2000).withRefinementPasses(3);
    return DeterminismRuns.run(options, out,
        p -> p.apply(Create.of(DATA.rows()).withRowSchema(Blobs.schema(3))).apply(bisecting ? fit.withBisecting(1) : fit),
        r -> r.getString("id") + "," + r.getInt32("segment_id") + "," + Double.toHexString(r.getDouble("distance"))
            + "," + Double.toHexString(r.getDouble("margin")));
  }
}
