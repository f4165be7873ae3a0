package io.segflow.transforms.points;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.segflow.testing.TestRunners;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Runs a clustering fit on a runner and returns what it produced as comparable text: one line per
 * assignment (as the test writes it, doubles in hex so equal means to the bit) and the model's JSON on the
 * last line, after {@link #MODEL}. The determinism tests compare these across runners and bundlings.
 */
public final class DeterminismRuns {
  /** The model's line starts with this, which sorts after every assignment line. */
  public static final String MODEL = "~model ";

  private DeterminismRuns() {}

  public static PipelineOptions direct() {
    return TestRunners.direct();
  }

  /** The embedded Flink cluster with two parallel tasks, so a fit's steps are really split. */
  public static PipelineOptions flink() {
    return TestRunners.flink();
  }

  /** The model's JSON from a run's lines. */
  public static String modelJson(List<String> lines) {
    return lines.get(lines.size() - 1).substring(MODEL.length());
  }

  public static <M extends ClusterModel> List<String> run(PipelineOptions options, Path out,
      Function<Pipeline, ClusteringResult<M>> fit, SerializableFunction<Row, String> assignment) throws IOException {
    Pipeline p = Pipeline.create(options);
    ClusteringResult<M> result = fit.apply(p);
    result.assignments().apply(MapElements.into(TypeDescriptors.strings()).via(assignment))
        .apply(TextIO.write().to(out.resolve("assignments").toString()));
    result.model()
        .apply(MapElements.into(TypeDescriptors.strings()).via(m -> MODEL + m.toJson().replace("\n", " ")))
        .apply(TextIO.write().to(out.resolve("model").toString()).withoutSharding());
    long started = System.nanoTime();
    assertEquals(PipelineResult.State.DONE, p.run().waitUntilFinish());
    System.err.printf("%s: %.1f s%n", out.getFileName(), (System.nanoTime() - started) / 1e9);
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
