package io.segflow.pipeline;

import io.segflow.compile.CompiledDefinition;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.segflow.dsl.env.Environment;
import io.segflow.dsl.model.RfmSpec;
import io.segflow.dsl.model.SegmentDefinition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped examples, run as they are on the first 5,000 rows of the real Online Retail data, against
 * outputs checked in under {@code src/test/resources/golden/<definition>/}. A change that moves one
 * customer or one digit of a profile shows here. After an intended change, regenerate with
 * {@code mvn test -Dtest=GoldenRunTest -Dsegflow.golden.update=true} and review the diff.
 */
@ExtendWith(TestPipelineExtension.class)
class GoldenRunTest {
  private static final Path GOLDEN = Path.of("src/test/resources/golden").toAbsolutePath();
  private static final Path EXAMPLES = Path.of("segment-definitions").toAbsolutePath();

  @Test
  void kmeansExampleOnTheRealSlice(TestPipeline p, @TempDir Path out) throws IOException {
    SegmentDefinition def = definition("online_retail_rfm_kmeans.yaml");
    SegflowPipeline.build(p, CompiledDefinition.of(def, Map.of("as_of", "2010-12-03")), environment(),
        new RunContext("golden", Instant.EPOCH, out));
    RunReport report = RunReport.of(run(p));
    // 5,000 rows: all typed; 1,205 without a customer and the returns are filtered by the SQL, not rejected.
    assertEquals(Map.of("read", 5000L, "rows", 5000L), report.sources().get("retail_transactions"));
    assertEquals(179, report.entitiesFeatured(), "customers with a purchase on the slice's two days");
    assertEquals(179, report.members());
    assertTrue(report.balanced());
    assertGolden(def.name(), out, List.of("segments.csv", "members.csv", "model.json"));
  }

  @Test
  void rulesExampleOnTheRealSliceWithParameters(TestPipeline p, @TempDir Path out) throws IOException {
    SegmentDefinition def = definition("online_retail_rfm_rules.yaml");
    SegflowPipeline.build(p, CompiledDefinition.of(def, Map.of("as_of", "2010-12-03", "champion_orders", "2")),
        environment(), new RunContext("golden", Instant.EPOCH, out));
    RunReport report = RunReport.of(run(p));
    assertEquals(179, report.entitiesFeatured());
    assertEquals(179, report.members());
    assertTrue(report.balanced());
    assertGolden(def.name(), out, List.of("segments.csv", "members.csv"));
  }

  @Test
  void rfmExampleScoresByQuintileAndNamesByTheClassicMap(TestPipeline p, @TempDir Path out) throws IOException {
    SegmentDefinition def = definition("online_retail_rfm_scores.yaml");
    SegflowPipeline.build(p, CompiledDefinition.of(def, Map.of("as_of", "2010-12-03")), environment(),
        new RunContext("golden", Instant.EPOCH, out));
    RunReport report = RunReport.of(run(p));
    assertEquals(179, report.members());
    assertTrue(report.balanced());
    // Each member is in the first classic segment whose score ranges hold its scores, else the default.
    List<String> members = Files.readAllLines(out.resolve("members.csv"));
    List<String> header = List.of(members.get(0).split(","));
    int[] score = {header.indexOf("r_score"), header.indexOf("f_score"), header.indexOf("m_score")};
    Map<Integer, Integer> quintiles = new java.util.TreeMap<>();
    for (String line : members.subList(1, members.size())) {
      String[] v = line.split(",");
      int r = Integer.parseInt(v[score[0]]);
      int f = Integer.parseInt(v[score[1]]);
      int m = Integer.parseInt(v[score[2]]);
      String expected = RfmSpec.CLASSIC.stream().filter(c -> holds(c, r, f, m)).map(RfmSpec.ScoreRange::segment)
          .findFirst().orElse("others");
      assertEquals(expected, v[header.indexOf("segment_label")], line);
      quintiles.merge(m, 1, Integer::sum);
    }
    // 179 distinct spends: 35 or 36 customers in each monetary quintile.
    assertEquals(Map.of(1, 35, 2, 36, 3, 36, 4, 36, 5, 36), quintiles);
    assertGolden(def.name(), out, List.of("segments.csv", "members.csv"));
  }

  /** Whether scores fall in a classic range, read from its bounds (not from the SQL the pipeline runs). */
  private static boolean holds(RfmSpec.ScoreRange c, int r, int f, int m) {
    return r >= c.recencyLow() && r <= c.recencyHigh() && f >= c.frequencyLow() && f <= c.frequencyHigh()
        && m >= c.monetaryLow() && m <= c.monetaryHigh();
  }

  private static PipelineResult run(TestPipeline p) {
    PipelineResult result = p.run();
    assertEquals(PipelineResult.State.DONE, result.waitUntilFinish());
    return result;
  }

  /**
   * Compares each file, its lines sorted (runners write rows in any order), to the golden copy: text
   * exactly, numbers to 1e-9 relative. Beam SQL's own SUM and AVG add doubles in the order rows arrive,
   * which varies from run to run in the last bits (segflow's k-means and added aggregates do not).
   */
  private static void assertGolden(String name, Path out, List<String> files) throws IOException {
    for (String file : files) {
      List<String> actual = Files.readAllLines(out.resolve(file)).stream().sorted().toList();
      Path golden = GOLDEN.resolve(name).resolve(file);
      if (Boolean.getBoolean("segflow.golden.update")) {
        Files.createDirectories(golden.getParent());
        Files.write(golden, actual);
      }
      List<String> expected = Files.readAllLines(golden);
      assertEquals(expected.size(), actual.size(), name + "/" + file + ": lines");
      for (int i = 0; i < expected.size(); i++) {
        String[] e = expected.get(i).split(TOKENS);
        String[] a = actual.get(i).split(TOKENS);
        String where = name + "/" + file + " line " + (i + 1) + ": " + actual.get(i) + "\n  golden: " + expected.get(i);
        assertEquals(e.length, a.length, where);
        for (int t = 0; t < e.length; t++) {
          if (NUMBER.matcher(e[t]).matches() && NUMBER.matcher(a[t]).matches()) {
            double x = Double.parseDouble(e[t]);
            assertEquals(x, Double.parseDouble(a[t]), 1e-9 * Math.max(1, Math.abs(x)), where);
          } else {
            assertEquals(e[t], a[t], where);
          }
        }
      }
    }
  }

  private static final String TOKENS = "(?<=[,:\\[\\]{}\\s])|(?=[,:\\[\\]{}\\s])";
  private static final java.util.regex.Pattern NUMBER = java.util.regex.Pattern.compile("-?\\d+(\\.\\d+)?([eE]-?\\d+)?");

  private static SegmentDefinition definition(String file) {
    // The golden slice's segments are all small; its profiles keep their extremes so they stay checked.
    SegmentDefinition def = Fixtures.definition(EXAMPLES.resolve(file), environment());
    return def.withOutput(new io.segflow.dsl.model.OutputSpec(1, true, 1));
  }

  private static Environment environment() {
    return Fixtures.environment(GOLDEN.resolve("env.yaml"));
  }

}
